import java.nio.file.Path;
import java.util.*;

/** Runs an alias the way a user does: `bin/jbang run ALIAS ...` from the repository root. */
final class Jbang {
    static final Path ROOT = Testbed.ROOT;
    static final Path LAUNCHER = ROOT.resolve("bin/jbang");

    static Testbed.Sh.Result run(Map<String, String> env, String alias, String... args) {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString(), "run", alias));
        argv.addAll(List.of(args));
        return Testbed.Sh.run(argv, env, ROOT, 900);
    }

    /** CI-neutral environment: no inherited run ids or Actions variables leak into a test. */
    static Map<String, String> cleanEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        for (String k : List.of("GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "CI_PIPELINE_ID",
                "BUILD_NUMBER", "BUILD_BUILDID", "CI", "BUILDKIT_HOST", "DOCKER_CONFIG")) env.put(k, null);
        env.putAll(extra);
        return env;
    }
}
