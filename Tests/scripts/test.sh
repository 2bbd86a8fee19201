#!/bin/sh
# Runs every check CI runs: installs what is missing, lints the Swift
# sources, builds, and runs the whole test suite (unit and integration).
set -eu
cd "$(dirname "$0")/../.."

Tests/scripts/install-deps.sh
swift format lint --strict --recursive Package.swift Sources Tests
swift build
swift test
