import lib.BadInput;
import lib.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The pure plan of build.java: exact argv and refs for representative options, and refusals. */
class BuildPlanTest {
    @TempDir
    static Path ctx;
    static final Path WORK = Path.of("/tmp/work");
    static final Map<String, String> ENV = Map.of("GITHUB_RUN_ID", "4242");

    @BeforeEach
    void dockerfile() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
        Files.createDirectories(ctx.resolve("sub"));
        Files.writeString(ctx.resolve("sub/Build.dockerfile"), "FROM scratch\n");
    }

    static build.Plan plan(Map<String, String> env, String... args) {
        build o = new build();
        new CommandLine(o).parseArgs(args);
        return build.plan(o, env, WORK);
    }

    @Test
    void oneBuildCarriesEveryRegistryTimesEveryTag() {
        build.Plan p = plan(ENV, "--image", "team/app", "--path", ctx.toString(), "--tag", "v1", "--tag", "latest",
                "--aws-registry", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "--azure-registry", "myreg.azurecr.io",
                "--registry", "127.0.0.1:5101");
        assertEquals(List.of("docker", "buildx", "build", "--file", ctx.resolve("Dockerfile").toString(),
                "--tag", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:4242",
                "--tag", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:v1",
                "--tag", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:latest",
                "--tag", "myreg.azurecr.io/team/app:4242", "--tag", "myreg.azurecr.io/team/app:v1", "--tag", "myreg.azurecr.io/team/app:latest",
                "--tag", "127.0.0.1:5101/team/app:4242", "--tag", "127.0.0.1:5101/team/app:v1", "--tag", "127.0.0.1:5101/team/app:latest",
                "--metadata-file", "/tmp/work/metadata.json", "--push", ctx.toString()), p.argv());
        assertEquals(9, p.refs().size());
        assertEquals(List.of("4242", "v1", "latest"), p.tags());
        assertTrue(p.push());
    }

    @Test
    void buildArgsLabelsTargetFileAndExtraArgsInOrder() {
        build.Plan p = plan(Map.of("CI_PIPELINE_ID", "77", "CI", "true"), "--image", "app", "--path", ctx.toString(),
                "--file", "sub/Build.dockerfile", "--registry", "reg.io", "--build-arg", "GREETING=hi there", "--build-arg", "FROM_ENV",
                "--label", "org.opencontainers.image.title=app", "--target", "final",
                "--extra-args", "--add-host 'db:10.0.0.1' --build-arg \"X=$(id)\"");
        assertEquals(List.of("docker", "buildx", "build", "--file", ctx.resolve("sub/Build.dockerfile").toString(),
                "--tag", "reg.io/app:77", "--build-arg", "GREETING=hi there", "--build-arg", "FROM_ENV",
                "--label", "org.opencontainers.image.title=app", "--target", "final",
                "--metadata-file", "/tmp/work/metadata.json", "--push", "--progress", "plain",
                "--add-host", "db:10.0.0.1", "--build-arg", "X=$(id)", ctx.toString()), p.argv());
    }

    @Test
    void runIdComesFromTheFlagThenEachCiInOrder() {
        String[] a = {"--image", "app", "--path", ctx.toString(), "--registry", "r.io"};
        assertEquals("4242", plan(ENV, a).tags().get(0));
        assertEquals("9", plan(Map.of("BUILD_NUMBER", "9", "BUILD_BUILDID", "10"), a).tags().get(0));
        assertEquals("10", plan(Map.of("BUILD_BUILDID", "10"), a).tags().get(0));
        String[] withFlag = {"--image", "app", "--path", ctx.toString(), "--registry", "r.io", "--run-id", "r-1"};
        assertEquals("r-1", plan(ENV, withFlag).tags().get(0));
    }

    @Test
    void duplicateTagsAndRegistriesCollapse() {
        build.Plan p = plan(ENV, "--image", "app", "--path", ctx.toString(), "--tag", "4242", "--tag", "x", "--tag", "x",
                "--aws-registry", "r.io", "--registry", "r.io");
        assertEquals(List.of("r.io/app:4242", "r.io/app:x"), p.refs().stream().map(Object::toString).toList());
    }

    @Test
    void pushFalseSkipsACloudAndNoPushNeedsNoRegistry() {
        build.Plan p = plan(ENV, "--image", "app", "--path", ctx.toString(), "--aws-registry", "a.io", "--push-aws=false",
                "--azure-registry", "z.io", "--push-azure");
        assertEquals(List.of("z.io/app:4242"), p.refs().stream().map(Object::toString).toList());
        build.Plan local = plan(ENV, "--image", "app", "--path", ctx.toString(), "--no-push");
        assertFalse(local.push());
        assertFalse(local.argv().contains("--push"));
        assertTrue(local.argv().containsAll(List.of("--tag", "app:4242")));
    }

    static Stream<Object[]> badInput() {
        String c = ctx == null ? "." : ctx.toString();
        return Stream.of(
                new Object[]{"--image", List.of("--image", "Team/App", "--registry", "r.io"), Map.of()},
                new Object[]{"--image", List.of("--image", "a".repeat(256), "--registry", "r.io"), Map.of()},
                new Object[]{"--tag", List.of("--image", "app", "--registry", "r.io", "--tag", "v1;rm -rf /"), Map.of()},
                new Object[]{"--tag", List.of("--image", "app", "--registry", "r.io", "--tag", "a\nb"), Map.of()},
                new Object[]{"--tag", List.of("--image", "app", "--registry", "r.io", "--tag", ""), Map.of()},
                new Object[]{"--registry", List.of("--image", "app", "--registry", "https://r.io"), Map.of()},
                new Object[]{"--registry", List.of("--image", "app", "--registry", "u:p@r.io"), Map.of()},
                new Object[]{"--registry", List.of("--image", "app", "--registry", "r.io:70000"), Map.of()},
                new Object[]{"--aws-registry", List.of("--image", "app", "--push-aws"), Map.of()},
                new Object[]{"--azure-registry", List.of("--image", "app", "--push-azure=true", "--registry", "r.io"), Map.of()},
                new Object[]{"no target registry", List.of("--image", "app"), Map.of()},
                new Object[]{"no run id", List.of("--image", "app", "--registry", "r.io"), Map.of("GITHUB_RUN_ID", "")},
                new Object[]{"--run-id", List.of("--image", "app", "--registry", "r.io", "--run-id", "$(id)"), Map.of()},
                new Object[]{"--path", List.of("--image", "app", "--registry", "r.io", "--path", "/nonexistent/ctx"), Map.of()},
                new Object[]{"--file", List.of("--image", "app", "--registry", "r.io", "--file", "Nope.dockerfile"), Map.of()},
                new Object[]{"--extra-args", List.of("--image", "app", "--registry", "r.io", "--extra-args", "--label 'x"), Map.of()},
                new Object[]{"--build-arg", List.of("--image", "app", "--registry", "r.io", "--build-arg", "=v"), Map.of()},
                new Object[]{"--label", List.of("--image", "app", "--registry", "r.io", "--label", "novalue"), Map.of()},
                new Object[]{"--target", List.of("--image", "app", "--registry", "r.io", "--target", "a b"), Map.of()});
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badInput")
    void badInputIsRefusedWithOneLineNamingIt(String named, List<String> args, Map<String, String> env) {
        List<String> full = new ArrayList<>(args);
        if (!full.contains("--path")) full.addAll(List.of("--path", ctx.toString()));
        Map<String, String> e = new HashMap<>(ENV);
        e.putAll(env);
        e.values().removeIf(String::isEmpty);
        BadInput ex = assertThrows(BadInput.class, () -> plan(e, full.toArray(String[]::new)));
        assertTrue(ex.getMessage().contains(named), ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        for (String[] args : new String[][]{{"--registry", "r.io"}, {"--image", "app", "--bogus"}, {"--image"}}) {
            var err = new ByteArrayOutputStream();
            int code = Cli.run(new build(), args, new PrintStream(err, true));
            assertEquals(2, code, Arrays.toString(args));
            String text = err.toString();
            assertEquals(1, text.strip().lines().count(), text);
            assertTrue(text.startsWith("build: "), text);
        }
    }

    @Test
    void dryRunPrintsTheArgvAndRunsNothing() {
        var out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            int code = Cli.run(new build(), new String[]{"--image", "app", "--path", ctx.toString(), "--registry", "127.0.0.1:1",
                    "--run-id", "7", "--dry-run"}, System.err);
            assertEquals(0, code);
        } finally {
            System.setOut(old);
        }
        String printed = out.toString();
        assertTrue(printed.startsWith("engine argv: docker buildx build --file "), printed);
        assertTrue(printed.contains("--tag 127.0.0.1:1/app:7"), printed);
        assertTrue(printed.contains("  127.0.0.1:1/app:7\n"), printed);
    }
}
