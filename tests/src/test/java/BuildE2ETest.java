import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/**
 * `jbang run build` end to end on the testbed: one buildx build pushed to both registries, every
 * ref checked by this test itself through the registry API (not by trusting the script's report).
 */
class BuildE2ETest {
    static Testbed tb;
    @TempDir
    Path tmp;

    @BeforeAll
    static void testbed() {
        tb = Testbed.get();
    }

    Map<String, String> env(Path dockerConfig, Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(Map.of("DOCKER_HOST", tb.dockerHost(), "DOCKER_CONFIG", dockerConfig.toString()));
        e.putAll(extra);
        return Jbang.cleanEnv(e);
    }

    @Test
    void buildsOnceAndPushesFourVerifiedRefsToTwoRegistries() throws Exception {
        Path cfg = tb.loggedInConfig(tmp.resolve("docker"), tb.aws(), tb.azure());
        Path ghOut = tmp.resolve("gh-output"), summary = tmp.resolve("summary"), json = tmp.resolve("out.json");
        String image = "e2e/hello-" + System.nanoTime();
        String runId = String.valueOf(System.currentTimeMillis());
        var r = Jbang.run(env(cfg, Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", runId,
                        "GITHUB_OUTPUT", ghOut.toString(), "GITHUB_STEP_SUMMARY", summary.toString())),
                "build", "--image", image, "--path", "examples/hello", "--tag", "custom-1",
                "--aws-registry", tb.aws(), "--azure-registry", tb.azure(), "--build-arg", "GREETING=e2e",
                "--output-json", json.toString());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());

        List<String> refs = new ArrayList<>();
        for (String reg : List.of(tb.aws(), tb.azure()))
            for (String tag : List.of(runId, "custom-1")) refs.add(reg + "/" + image + ":" + tag);
        Set<String> digests = new HashSet<>();
        for (String ref : refs) digests.add(headDigest(ref).orElseThrow(() -> new AssertionError("missing in registry: " + ref)));
        assertEquals(1, digests.size(), "all four refs share one digest: " + digests);
        String digest = digests.iterator().next();

        Map<String, Object> out = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(json));
        assertEquals(digest, out.get("digest"));
        assertEquals(refs, out.get("refs"));
        assertEquals(List.of(runId, "custom-1"), out.get("tags"));
        String gh = Files.readString(ghOut);
        assertTrue(gh.contains("digest=" + digest + "\n"), gh);
        assertTrue(gh.contains("refs=" + com.fasterxml.jackson.jr.ob.JSON.std.asString(refs) + "\n"), gh);
        assertTrue(gh.contains("tags=[\"" + runId + "\",\"custom-1\"]\n"), gh);
        assertTrue(Files.readString(summary).contains(digest));
        assertTrue(r.stdout().contains("::group::"), "progress sits in a group in Actions");
        assertTrue(r.stdout().contains("verified " + refs.get(3)), r.stdout());
    }

    @Test
    void registryThatRefusesTheCredentialsFailsWithExitOneNamingIt() throws Exception {
        Path cfg = tmp.resolve("docker-bad");
        Files.createDirectories(cfg);
        String auth = Base64.getEncoder().encodeToString((tb.user(tb.aws()) + ":not-the-password").getBytes());
        Files.writeString(cfg.resolve("config.json"), "{\"auths\":{\"" + tb.aws() + "\":{\"auth\":\"" + auth + "\"}}}");
        var r = Jbang.run(env(cfg, Map.of()), "build", "--image", "e2e/refused", "--path", "examples/hello",
                "--run-id", "1", "--aws-registry", tb.aws());
        assertEquals(1, r.exit(), r.stdout() + r.stderr());
        String last = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("build: error: ") && last.contains(tb.aws()), last);
        assertFalse(r.stderr().contains("\tat "), "no stack trace without --verbose");
        assertTrue(headDigest(tb.aws() + "/e2e/refused:1").isEmpty());
    }

    @Test
    void noPushBuildsLocallyAndTouchesNoRegistry() throws Exception {
        Map<String, Integer> before = catalogs();
        var r = Jbang.run(env(tmp, Map.of()), "build", "--image", "e2e/local", "--path", "examples/hello", "--run-id", "5", "--no-push");
        assertEquals(0, r.exit(), r.stderr());
        var inspect = Testbed.Sh.run(List.of("docker", "image", "inspect", "e2e/local:5"), Map.of("DOCKER_HOST", tb.dockerHost()), Testbed.ROOT, 60);
        assertEquals(0, inspect.exit(), "image built into the engine: " + inspect.stderr());
        assertEquals(before, catalogs());
    }

    /** HEAD the manifest with Basic credentials, as the distribution spec allows. */
    static Optional<String> headDigest(String ref) throws Exception {
        int slash = ref.indexOf('/'), colon = ref.lastIndexOf(':');
        String reg = ref.substring(0, slash), repo = ref.substring(slash + 1, colon), tag = ref.substring(colon + 1);
        HttpResponse<Void> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + reg + "/v2/" + repo + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", basic(reg))
                .header("Accept", "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
                        + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json")
                .build(), HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 404) return Optional.empty();
        assertEquals(200, res.statusCode(), "HEAD " + ref);
        return res.headers().firstValue("Docker-Content-Digest");
    }

    /** Repository -> tag count in both registries: what "registries unchanged" is checked against. */
    static Map<String, Integer> catalogs() throws Exception {
        Map<String, Integer> all = new TreeMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (String reg : List.of(tb.aws(), tb.azure())) {
            var res = http.send(HttpRequest.newBuilder(URI.create("http://" + reg + "/v2/_catalog?n=1000")).header("Authorization", basic(reg)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            @SuppressWarnings("unchecked")
            List<String> repos = (List<String>) com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(res.body()).get("repositories");
            for (String repo : repos) {
                var tags = http.send(HttpRequest.newBuilder(URI.create("http://" + reg + "/v2/" + repo + "/tags/list")).header("Authorization", basic(reg)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Object list = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(tags.body()).get("tags");
                all.put(reg + "/" + repo, list instanceof List<?> l ? l.size() : 0);
            }
        }
        return all;
    }

    static String basic(String reg) {
        return "Basic " + Base64.getEncoder().encodeToString((tb.user(reg) + ":" + tb.password(reg)).getBytes());
    }
}
