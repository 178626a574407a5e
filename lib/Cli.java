package lib;

//DEPS info.picocli:picocli:4.7.6

import picocli.CommandLine;

import java.io.PrintStream;

/**
 * Runs a picocli command with the suite's exit-code contract, decided here and nowhere else:
 * 0 done, 1 a step failed ({@link StepFailed} or anything unexpected), 2 bad input or usage
 * ({@link BadInput}, picocli's parameter errors). One line on stderr; a stack only with --verbose.
 */
public final class Cli {
    public static final int OK = 0, FAILED = 1, BAD_INPUT = 2;

    private Cli() {}

    /** Options every script has. */
    public static final class Common {
        @CommandLine.Option(names = "--verbose", description = "Show stack traces and more detail on failure.")
        public boolean verbose;
    }

    public static int run(Object command, String[] args, PrintStream err) {
        CommandLine cl = new CommandLine(command);
        String name = cl.getCommandName();
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean verbose = parsed.hasMatchedOption("--verbose");
            int code = ex instanceof BadInput ? BAD_INPUT : FAILED;
            String message = ex instanceof BadInput || ex instanceof StepFailed ? ex.getMessage()
                    : "unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage() + " (run with --verbose for details)";
            err.println(name + ": " + (code == BAD_INPUT ? "" : "error: ") + oneLine(message));
            if (verbose) {
                if (ex instanceof StepFailed f && !f.detail().isBlank()) err.println(f.detail());
                err.print(stack(ex));
            }
            return code;
        });
        return cl.execute(args);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String stack(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t == e ? "" : "Caused by: ").append(t).append('\n');
            for (StackTraceElement el : t.getStackTrace()) b.append("\tat ").append(el).append('\n');
        }
        return b.toString();
    }
}
