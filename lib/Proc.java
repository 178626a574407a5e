package lib;

//DEPS org.zeroturnaround:zt-exec:1.12
//DEPS org.slf4j:slf4j-nop:1.7.36

import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.stream.LogOutputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs a process from an argv list (never a shell), streams its output live to stderr through a
 * redactor, and keeps stdout and the tail of stderr for results and error messages. {@link Runner}
 * is the test seam: tests inject one that records the argv.
 */
public final class Proc {
    private Proc() {}

    /** How many stderr lines an error message carries. */
    static final int TAIL_LINES = 20;

    public record Command(List<String> argv, Map<String, String> env, Path dir, byte[] stdin, boolean stream) {
        public static Command of(List<String> argv) {
            return new Command(List.copyOf(argv), Map.of(), null, null, true);
        }

        public Command withEnv(Map<String, String> extra) {
            Map<String, String> merged = new LinkedHashMap<>(env);
            merged.putAll(extra);
            return new Command(argv, Map.copyOf(merged), dir, stdin, stream);
        }

        public Command withStdin(byte[] input) {
            return new Command(argv, env, dir, input, stream);
        }

        /** Output is captured, not shown: for helpers whose stdout is data (or a secret). */
        public Command quiet() {
            return new Command(argv, env, dir, stdin, false);
        }

        public String tool() {
            return Path.of(argv.get(0)).getFileName().toString();
        }

        @Override
        public String toString() {
            return ShellWords.join(argv);
        }
    }

    public record Result(int exitCode, String stdout, String stderrTail) {}

    @FunctionalInterface
    public interface Runner {
        /** Runs the command to its end; a missing executable is a {@link StepFailed}. */
        Result run(Command command);

        /** Runs it and turns a non-zero exit into a {@link StepFailed} naming the tool. */
        default Result check(Command command) {
            Result r = run(command);
            if (r.exitCode() != 0)
                throw new StepFailed(command.tool() + " failed with exit code " + r.exitCode()
                        + (r.stderrTail().isBlank() ? "" : ": " + lastLine(r.stderrTail())), r.stderrTail(), null);
            return r;
        }
    }

    /** The real runner: zt-exec, output streamed to {@code console} with secrets redacted. */
    public static Runner system(PrintStream console, UnaryOperator<String> redact) {
        return command -> {
            Deque<String> tail = new ArrayDeque<>();
            StringBuilder stdout = new StringBuilder();
            ProcessExecutor executor = new ProcessExecutor()
                    .command(command.argv())
                    .environment(command.env())
                    .exitValueAny()
                    .redirectOutput(new LogOutputStream() {
                        @Override
                        protected void processLine(String line) {
                            synchronized (stdout) {
                                stdout.append(line).append('\n');
                            }
                            if (command.stream()) console.println(redact.apply(line));
                        }
                    })
                    .redirectError(new LogOutputStream() {
                        @Override
                        protected void processLine(String line) {
                            String shown = redact.apply(line);
                            synchronized (tail) {
                                tail.addLast(shown);
                                if (tail.size() > TAIL_LINES) tail.removeFirst();
                            }
                            if (command.stream()) console.println(shown);
                        }
                    });
            if (command.dir() != null) executor.directory(command.dir().toFile());
            if (command.stdin() != null) executor.redirectInput(new ByteArrayInputStream(command.stdin()));
            try {
                int code = executor.execute().getExitValue();
                synchronized (tail) {
                    return new Result(code, stdout.toString(), String.join("\n", tail));
                }
            } catch (IOException e) {
                throw new StepFailed(command.tool() + " could not be started: " + rootMessage(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailed(command.tool() + " was interrupted", e);
            } catch (TimeoutException | InvalidExitValueException e) {
                throw new StepFailed(command.tool() + " failed: " + e.getMessage(), e);
            }
        };
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) e = e.getCause();
        return e.getMessage();
    }
}
