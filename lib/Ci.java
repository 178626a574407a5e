package lib;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.*;

/**
 * CI reporting: GitHub Actions workflow commands, step outputs and the job summary. Outside Actions
 * every call is a no-op except redaction, which always hides the values given to {@link #mask}.
 */
public final class Ci {
    private final Map<String, String> env;
    private final PrintStream out;
    private final Set<String> secrets = new LinkedHashSet<>();

    public Ci(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    public boolean actions() {
        return "true".equals(env.get("GITHUB_ACTIONS"));
    }

    /** Any CI at all: plain progress output there, since nobody watches a terminal. */
    public boolean anyCi() {
        return actions() || "true".equalsIgnoreCase(env.getOrDefault("CI", "")) || env.containsKey("BUILD_NUMBER")
                || env.containsKey("TF_BUILD") || env.containsKey("GITLAB_CI");
    }

    /** Registers a secret: masked in the Actions log from now on, and redacted from our own output. */
    public void mask(String secret) {
        if (secret == null || secret.isEmpty()) return;
        secrets.add(secret);
        if (actions()) for (String line : secret.split("\\R")) if (!line.isBlank()) out.println("::add-mask::" + line);
    }

    public String redact(String text) {
        String shown = text;
        for (String s : secrets) shown = shown.replace(s, "***");
        return shown;
    }

    public void output(String name, String value) {
        String file = env.get("GITHUB_OUTPUT");
        if (!actions() || file == null || file.isBlank()) return;
        if (value.contains("\n")) {
            String delimiter = "EOF_" + UUID.randomUUID();
            append(Path.of(file), name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n");
        } else {
            append(Path.of(file), name + "=" + value + "\n");
        }
    }

    public void summary(String markdown) {
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (actions() && file != null && !file.isBlank()) append(Path.of(file), markdown.endsWith("\n") ? markdown : markdown + "\n");
    }

    public void group(String title) {
        if (actions()) out.println("::group::" + escape(title));
    }

    public void endGroup() {
        if (actions()) out.println("::endgroup::");
    }

    public void error(String message) {
        if (actions()) out.println("::error::" + escape(redact(message)));
    }

    public void warning(String message) {
        if (actions()) out.println("::warning::" + escape(redact(message)));
    }

    /** Workflow command data must escape %, CR and LF or the runner cuts the message. */
    static String escape(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StepFailed("cannot write the Actions file " + file + ": " + e.getMessage(), e);
        }
    }
}
