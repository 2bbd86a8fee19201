extension InventoryHost {
    /// Returns the host with `settings` replacing its resolved values, as a play's `vars` do;
    /// `play` names the play in each replaced value's origin.
    public func overriding(_ settings: [VariableSetting], play: String) -> InventoryHost {
        guard !settings.isEmpty else { return self }

        var host = self
        host.resolvedVariables = resolvedVariables.map { resolved in
            guard let setting = settings.first(where: { $0.variable == resolved.variable }) else {
                return resolved
            }
            return ResolvedVariable(
                variable: setting.variable, value: setting.value, text: setting.text,
                origin: .play(play, setting.location))
        }
        host.variables = HostVariables(hostName: name, resolved: host.resolvedVariables)
        return host
    }
}
