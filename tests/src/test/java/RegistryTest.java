import com.sun.net.httpserver.HttpServer;
import lib.*;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The registry reader against a loopback HTTP server that speaks the parts of the distribution
 * protocol a docker-registry with htpasswd cannot show: Bearer token challenges, HEAD answers
 * without Docker-Content-Digest, 503 bursts with Retry-After. Basic auth runs against the real
 * registries in the end-to-end tests.
 */
class RegistryTest {
    static final String MANIFEST = "{\"schemaVersion\":2}";
    HttpServer server;
    String host;
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    volatile boolean digestHeader = true;
    final List<Duration> slept = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", ex -> {
            seen.add("token " + ex.getRequestURI().getQuery() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            String expected = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes());
            boolean ok = expected.equals(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "{\"token\":\"tok-1\"}" : "{}").getBytes();
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/v2/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " accept=" + ex.getRequestHeaders().getFirst("Accept"));
            if (ex.getRequestURI().getPath().contains("/manifests/") && failFirst.getAndDecrement() > 0) {
                ex.getResponseHeaders().add("Retry-After", "2");
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            if (!"Bearer tok-1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"http://" + host + "/token\",service=\"reg\",scope=\"repository:team/app:pull\"");
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            if (!ex.getRequestURI().getPath().endsWith("/manifests/1")) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = MANIFEST.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            if (digestHeader) ex.getResponseHeaders().add("Docker-Content-Digest", "sha256:" + "d".repeat(64));
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    Registry registry(Optional<Credential> cred) {
        var http = Registry.httpClient();
        Retry retry = new Retry(4, Duration.ofMillis(10), slept::add, new PrintStream(new ByteArrayOutputStream()));
        return new Registry(http, new RegistryAuth(http, h -> h.equals(host) ? cred : Optional.empty()), retry, Set.of());
    }

    @Test
    void answersBearerChallengeWithTokenFromTheRealmAndCachesIt() {
        Registry r = registry(Optional.of(new Credential("u", "p")));
        assertEquals(Optional.of("sha256:" + "d".repeat(64)), r.digest(ImageRef.parse(host + "/team/app:1")));
        assertEquals(Optional.empty(), r.digest(ImageRef.parse(host + "/team/app:2")));
        long tokenCalls = seen.stream().filter(s -> s.startsWith("token")).count();
        assertEquals(1, tokenCalls, seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("token service=reg&scope=repository:team/app:pull Basic ")), seen.toString());
        String head = seen.stream().filter(x -> x.startsWith("HEAD")).findFirst().orElseThrow();
        for (String type : Registry.MANIFEST_TYPES) assertTrue(head.contains(type), "asks for every manifest type: " + head);
    }

    @Test
    void withoutTheDigestHeaderHashesTheManifestBody() throws Exception {
        digestHeader = false;
        String expected = "sha256:" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(MANIFEST.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of(expected), registry(Optional.of(new Credential("u", "p"))).digest(ImageRef.parse(host + "/team/app:1")));
    }

    @Test
    void retries503HonouringRetryAfter() {
        failFirst.set(2);
        assertTrue(registry(Optional.of(new Credential("u", "p"))).digest(ImageRef.parse(host + "/team/app:1")).isPresent());
        assertEquals(2, slept.size());
        assertTrue(slept.stream().allMatch(d -> d.toMillis() >= 2000), slept.toString());
    }

    @Test
    void boundedRetriesEndInAFailureNamingTheRegistry() {
        failFirst.set(100);
        StepFailed e = assertThrows(StepFailed.class, () -> registry(Optional.of(new Credential("u", "p"))).digest(ImageRef.parse(host + "/team/app:1")));
        assertTrue(e.getMessage().contains("registry " + host) && e.getMessage().contains("503") && e.getMessage().contains("4 tries"), e.getMessage());
    }

    @Test
    void refusedCredentialsNameTheRegistry() {
        StepFailed e = assertThrows(StepFailed.class, () -> registry(Optional.of(new Credential("u", "wrong"))).digest(ImageRef.parse(host + "/team/app:1")));
        assertTrue(e.getMessage().contains("registry " + host) && e.getMessage().contains("refused"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"));
    }

    @Test
    void downRegistryIsAFailureNamingIt() {
        server.stop(0);
        StepFailed e = assertThrows(StepFailed.class, () -> registry(Optional.empty()).digest(ImageRef.parse(host + "/team/app:1")));
        assertTrue(e.getMessage().contains(host) && e.getMessage().contains("ConnectException"), e.getMessage());
    }
}
