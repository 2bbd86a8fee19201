/* Runs a command, waits for it, and writes to the file named by its first argument the
 * figures of every process it started and waited for: "user_seconds system_seconds
 * max_rss_kib exit_status". Being small, it does not inflate the peak RSS it reports, as a
 * fork of a large interpreter would. Usage: rusage OUTPUT COMMAND [ARGUMENT...] */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: rusage OUTPUT COMMAND [ARGUMENT...]\n");
        return 64;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("rusage: fork");
        return 71;
    }
    if (child == 0) {
        execvp(argv[2], argv + 2);
        perror("rusage: exec");
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
    }
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *output = fopen(argv[1], "w");
    if (output == NULL) {
        perror("rusage: output file");
        return 73;
    }
    fprintf(output, "%ld.%06ld %ld.%06ld %ld %d\n", (long)usage.ru_utime.tv_sec,
            (long)usage.ru_utime.tv_usec, (long)usage.ru_stime.tv_sec,
            (long)usage.ru_stime.tv_usec, usage.ru_maxrss, code);
    fclose(output);
    return code;
}
