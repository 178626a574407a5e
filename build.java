///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DESCRIPTION Build a container image once, push it to every target registry, prove each ref resolves to the built digest, report it.
//SOURCES lib/BadInput.java lib/StepFailed.java lib/Cli.java lib/ImageRef.java lib/ShellWords.java
//SOURCES lib/Proc.java lib/Ci.java lib/Credential.java lib/DockerConfig.java lib/Retry.java
//SOURCES lib/RegistryAuth.java lib/Registry.java lib/Report.java

import lib.*;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

@Command(name = "build", mixinStandardHelpOptions = true, version = "build 0.1.0", sortOptions = false,
        description = "Builds an image once with docker buildx and pushes it to every target registry x "
                + "(run id + each --tag); then reads every ref back and checks it resolves to the built digest.")
public class build implements Callable<Integer> {

    /** CI systems' run ids, in the order they are looked up when --run-id is not given. */
    static final List<String> RUN_ID_VARS = List.of("GITHUB_RUN_ID", "CI_PIPELINE_ID", "BUILD_NUMBER", "BUILD_BUILDID");

    @Option(names = "--image", required = true, paramLabel = "NAME", description = "Repository path inside each registry, e.g. team/app.")
    String image;
    @Option(names = "--path", defaultValue = ".", paramLabel = "DIR", description = "Build context (default: ${DEFAULT-VALUE}).")
    String path;
    @Option(names = "--file", defaultValue = "Dockerfile", paramLabel = "PATH", description = "Dockerfile, relative to the context (default: ${DEFAULT-VALUE}).")
    String file;
    @Option(names = "--tag", paramLabel = "TAG", description = "Extra tag, repeatable.")
    List<String> tags = new ArrayList<>();
    @Option(names = "--run-id", paramLabel = "ID", description = "The tag every build gets (default: $GITHUB_RUN_ID, $CI_PIPELINE_ID, $BUILD_NUMBER, $BUILD_BUILDID).")
    String runId;
    @Option(names = "--aws-registry", paramLabel = "HOST", description = "ECR registry host; a target unless --push-aws=false.")
    String awsRegistry;
    @Option(names = "--push-aws", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Push to --aws-registry (default: true when it is given).")
    Boolean pushAws;
    @Option(names = "--azure-registry", paramLabel = "HOST", description = "ACR registry host; a target unless --push-azure=false.")
    String azureRegistry;
    @Option(names = "--push-azure", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Push to --azure-registry (default: true when it is given).")
    Boolean pushAzure;
    @Option(names = "--registry", paramLabel = "HOST", description = "Any other target registry, repeatable.")
    List<String> registries = new ArrayList<>();
    @Option(names = "--build-arg", paramLabel = "K=V", description = "Build argument, repeatable.")
    List<String> buildArgs = new ArrayList<>();
    @Option(names = "--label", paramLabel = "K=V", description = "Image label, repeatable.")
    List<String> labels = new ArrayList<>();
    @Option(names = "--target", paramLabel = "NAME", description = "Build stage to stop at.")
    String target;
    @Option(names = "--extra-args", paramLabel = "STRING", description = "More engine flags, split like a shell splits words; nothing is evaluated.")
    String extraArgs;
    @Option(names = "--no-push", description = "Build only; push and verify nothing.")
    boolean noPush;
    @Option(names = "--dry-run", description = "Print the plan (the exact argv and refs) and do nothing.")
    boolean dryRun;
    @Option(names = "--output-json", paramLabel = "FILE", description = "Write digest, refs and tags as JSON here (for CIs other than GitHub).")
    Path outputJson;
    @Mixin
    Cli.Common common = new Cli.Common();

    /** What one invocation will do: the engine argv, the refs it must push, where the digest lands. */
    record Plan(List<String> argv, List<ImageRef> refs, List<String> tags, Path metadataFile, boolean push) {
        String describe() {
            StringBuilder b = new StringBuilder("engine argv: ").append(ShellWords.join(argv)).append('\n');
            if (push) {
                b.append("refs to push and verify (").append(refs.size()).append("):\n");
                refs.forEach(r -> b.append("  ").append(r).append('\n'));
            } else {
                b.append("no push: nothing is pushed or verified\n");
            }
            return b.toString();
        }
    }

    public static void main(String... args) {
        System.exit(Cli.run(new build(), args, System.err));
    }

    @Override
    public Integer call() throws IOException {
        Map<String, String> env = System.getenv();
        Ci ci = new Ci(env, System.out);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "cib-build-" + ProcessHandle.current().pid());
        Plan plan = plan(this, env, work);
        if (dryRun) {
            System.out.print(plan.describe());
            return Cli.OK;
        }
        Files.createDirectories(work);
        try {
            Proc.Runner runner = Proc.system(System.err, ci::redact);
            // The JDK HTTP client takes ~0.25 s to set up (TLS): do it while the engine builds.
            CompletableFuture<Registry> registry = CompletableFuture.supplyAsync(() ->
                    Registry.fromEnv(env, DockerConfig.fromEnv(env, runner), Retry.standard(System.err)));
            return execute(plan, runner, registry::join, ci, outputJson);
        } finally {
            Files.deleteIfExists(plan.metadataFile());
            Files.deleteIfExists(work);
        }
    }

    /** Pure: options and environment to the plan. Throws {@link BadInput} before anything runs. */
    static Plan plan(build o, Map<String, String> env, Path work) {
        String repo = ImageRef.checkRepository(o.image, "--image");
        List<String> tags = new ArrayList<>();
        tags.add(ImageRef.checkTag(runId(o.runId, env), o.runId != null ? "--run-id" : "run id"));
        for (String t : o.tags) tags.add(ImageRef.checkTag(t, "--tag"));
        tags = List.copyOf(new LinkedHashSet<>(tags));

        List<String> targets = targets(o);
        if (targets.isEmpty() && !o.noPush)
            throw new BadInput("no target registry: give --aws-registry, --azure-registry or --registry HOST (or --no-push)");
        List<ImageRef> refs = new ArrayList<>();
        for (String registry : targets)
            for (String tag : tags) refs.add(ImageRef.of(registry, repo, tag));

        Path context = Path.of(o.path.isEmpty() ? "." : o.path);
        if (!Files.isDirectory(context)) throw new BadInput("--path '" + o.path + "' is not a directory; give the build context folder");
        if (o.file.isBlank()) throw new BadInput("--file is empty; give the Dockerfile's path relative to the context");
        Path dockerfile = context.resolve(o.file);
        if (!Files.isRegularFile(dockerfile) || !Files.isReadable(dockerfile))
            throw new BadInput("--file '" + o.file + "' is not a readable file (looked at " + dockerfile + ")");

        Path metadata = work.resolve("metadata.json");
        List<String> argv = new ArrayList<>(List.of("docker", "buildx", "build", "--file", dockerfile.toString()));
        if (refs.isEmpty()) for (String tag : tags) argv.addAll(List.of("--tag", repo + ":" + tag));
        for (ImageRef r : refs) argv.addAll(List.of("--tag", r.toString()));
        for (String a : o.buildArgs) argv.addAll(List.of("--build-arg", keyValue(a, "--build-arg", true)));
        for (String l : o.labels) argv.addAll(List.of("--label", keyValue(l, "--label", false)));
        if (o.target != null) {
            if (!o.target.matches("[A-Za-z0-9][A-Za-z0-9_.-]*"))
                throw new BadInput("--target '" + o.target + "' is not a stage name; allowed: letters, digits, '_', '.', '-'");
            argv.addAll(List.of("--target", o.target));
        }
        argv.addAll(List.of("--metadata-file", metadata.toString()));
        if (!o.noPush) argv.add("--push");
        if (new Ci(env, System.out).anyCi()) argv.addAll(List.of("--progress", "plain"));
        argv.addAll(ShellWords.split(o.extraArgs, "--extra-args"));
        argv.add(context.toString());
        return new Plan(List.copyOf(argv), List.copyOf(refs), tags, metadata, !o.noPush);
    }

    static String runId(String given, Map<String, String> env) {
        if (given != null) {
            if (given.isBlank()) throw new BadInput("--run-id is empty; give the CI run's id");
            return given;
        }
        for (String var : RUN_ID_VARS) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) return v;
        }
        throw new BadInput("no run id: give --run-id ID, or run where one of " + String.join(", ", RUN_ID_VARS) + " is set");
    }

    /** AWS, then Azure, then the others, each once, in the order given. */
    static List<String> targets(build o) {
        Set<String> hosts = new LinkedHashSet<>();
        hosts.addAll(cloud(o.awsRegistry, o.pushAws, "--aws-registry", "--push-aws"));
        hosts.addAll(cloud(o.azureRegistry, o.pushAzure, "--azure-registry", "--push-azure"));
        for (String r : o.registries) hosts.add(ImageRef.checkHost(r, "--registry"));
        return List.copyOf(hosts);
    }

    private static List<String> cloud(String host, Boolean push, String hostFlag, String pushFlag) {
        if (host == null || host.isEmpty()) {
            if (Boolean.TRUE.equals(push)) throw new BadInput(pushFlag + " needs " + hostFlag + " HOST");
            return List.of();
        }
        ImageRef.checkHost(host, hostFlag);
        return Boolean.FALSE.equals(push) ? List.of() : List.of(host);
    }

    private static String keyValue(String kv, String flag, boolean valueOptional) {
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv : kv.substring(0, eq);
        if (key.isBlank() || (eq < 0 && !valueOptional) || key.chars().anyMatch(Character::isWhitespace))
            throw new BadInput(flag + " '" + kv + "' is not KEY=VALUE; the key must be non-empty with no spaces");
        return kv;
    }

    /**
     * The engine's own error rarely says which registry refused a push; asking each target
     * registry for the first ref does, with the registry's answer (credentials refused, down, ...).
     */
    static StepFailed engineFailed(Plan plan, Proc.Result result, Registry registry) {
        String engine = String.join(" ", plan.argv().subList(0, Math.min(3, plan.argv().size())));
        StringBuilder msg = new StringBuilder(engine + " failed with exit code " + result.exitCode());
        if (!result.stderrTail().isBlank()) msg.append(": ").append(result.stderrTail().strip().lines().reduce((a, b) -> b).orElse(""));
        if (plan.push()) {
            Set<String> seen = new HashSet<>();
            for (ImageRef ref : plan.refs()) {
                if (!seen.add(ref.registry())) continue;
                try {
                    registry.digest(ref);
                } catch (StepFailed e) {
                    msg.append("; ").append(e.getMessage());
                }
            }
        }
        return new StepFailed(msg.toString(), result.stderrTail(), null);
    }

    /** Runs the engine, then reads every ref back from its registry. */
    static int execute(Plan plan, Proc.Runner runner, Supplier<Registry> registry, Ci ci, Path outputJson) {
        ci.group("docker buildx build (" + plan.refs().size() + " refs)");
        System.err.println("+ " + ShellWords.join(plan.argv()));
        Proc.Result result;
        try {
            result = runner.run(Proc.Command.of(plan.argv()));
        } finally {
            ci.endGroup();
        }
        if (result.exitCode() != 0) throw engineFailed(plan, result, registry.get());
        if (!plan.push()) {
            System.out.println("built; --no-push: nothing pushed");
            return Cli.OK;
        }
        String digest = Report.digestFrom(plan.metadataFile(), "docker buildx");
        Report report = Report.verify(digest, plan.refs(), plan.tags(), registry.get());
        report.publish(ci, System.out, outputJson);
        return report.finish();
    }
}
