package lib;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The OCI distribution API as this suite speaks it: resolve a reference to its manifest digest.
 * Every call goes through {@link #send}, which picks the scheme, answers auth challenges with the
 * docker config's credentials and retries 5xx, 429 and broken connections.
 */
public final class Registry {
    public static final List<String> MANIFEST_TYPES = List.of(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    static final String ACCEPT = String.join(", ", MANIFEST_TYPES);

    private final HttpClient http;
    private final RegistryAuth auth;
    private final Retry retry;
    private final Set<String> insecure;
    private final Map<String, String> bases = new ConcurrentHashMap<>();

    public Registry(HttpClient http, RegistryAuth auth, Retry retry, Set<String> insecure) {
        this.http = http;
        this.auth = auth;
        this.retry = retry;
        this.insecure = insecure;
    }

    public static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * A registry reader with the docker config's credentials. Loopback hosts and those listed in
     * {@code CIB_INSECURE_REGISTRIES} may fall back to plain http, as dockerd allows for them.
     */
    public static Registry fromEnv(Map<String, String> env, DockerConfig config, Retry retry) {
        HttpClient http = httpClient();
        Set<String> insecure = new HashSet<>();
        for (String h : env.getOrDefault("CIB_INSECURE_REGISTRIES", "").split(","))
            if (!h.isBlank()) insecure.add(h.strip());
        return new Registry(http, new RegistryAuth(http, config::credentials), retry, insecure);
    }

    /** The digest the registry serves for this tag or digest, or empty when it has no such manifest. */
    public Optional<String> digest(ImageRef ref) {
        HttpResponse<byte[]> res = send(ref, "pull", "resolve " + ref,
                b -> b.method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray());
        if (res.statusCode() == 404) return Optional.empty();
        expectOk(ref, res);
        Optional<String> header = res.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent()) return header;
        // Some registries leave the header out of HEAD answers; the digest is then the body's hash.
        HttpResponse<byte[]> get = send(ref, "pull", "fetch manifest " + ref, HttpRequest.Builder::GET,
                HttpResponse.BodyHandlers.ofByteArray());
        if (get.statusCode() == 404) return Optional.empty();
        expectOk(ref, get);
        return Optional.of(get.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(get.body())));
    }

    /**
     * Sends one request for a repository's manifests endpoint, with auth and retries. Answers other
     * than 401, 429 and 5xx come back to the caller to interpret.
     */
    public <T> HttpResponse<T> send(ImageRef ref, String action, String what,
                                    UnaryOperator<HttpRequest.Builder> method, HttpResponse.BodyHandler<T> body) {
        String host = ref.apiHost();
        String scope = "repository:" + ref.repository() + ":" + action;
        String path = "/v2/" + ref.repository() + "/manifests/" + ref.reference();
        return retry.run(what + " at registry " + ref.registry(), () -> {
            String base = base(host);
            HttpRequest.Builder req = method.apply(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30)).header("Accept", ACCEPT));
            auth.cached(host, scope).ifPresent(h -> req.setHeader("Authorization", h));
            HttpResponse<T> res = http.send(req.build(), body);
            if (res.statusCode() == 401) {
                String challenge = res.headers().firstValue("WWW-Authenticate").orElse("");
                String header = auth.answer(host, scope, challenge).orElseThrow(() -> new StepFailed(
                        "registry " + ref.registry() + " wants credentials and the docker config has none for it (log in first)"));
                req.setHeader("Authorization", header);
                res = http.send(req.build(), body);
                if (res.statusCode() == 401 || res.statusCode() == 403)
                    throw new StepFailed("registry " + ref.registry() + " refused the credentials from the docker config (HTTP "
                            + res.statusCode() + ")");
            }
            if (res.statusCode() >= 500 || res.statusCode() == 429)
                throw new Retry.Transient("registry " + ref.registry() + " answered HTTP " + res.statusCode(), retryAfter(res.headers()));
            return res;
        });
    }

    private void expectOk(ImageRef ref, HttpResponse<?> res) {
        if (res.statusCode() / 100 != 2)
            throw new StepFailed("registry " + ref.registry() + " answered HTTP " + res.statusCode() + " for " + ref);
    }

    /**
     * https; for an insecure host, plain http when it answers plain http. A TLS port answers a
     * plain request with 400 or a dropped connection, so that probe is quick either way, unlike a
     * TLS hello sent to a plain port, which some servers leave hanging.
     */
    private String base(String host) throws IOException, InterruptedException {
        String known = bases.get(host);
        if (known != null) return known;
        if (!isInsecure(host)) return "https://" + host;
        String chosen = "https://" + host;
        try {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() != 400) chosen = "http://" + host;
        } catch (java.net.ConnectException e) {
            throw e;
        } catch (IOException e) {
            // not plain http: keep https
        }
        bases.put(host, chosen);
        return chosen;
    }

    private boolean isInsecure(String host) {
        String h = host.replaceFirst(":[0-9]+$", "");
        return insecure.contains(host) || insecure.contains(h) || h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]");
    }

    static Duration retryAfter(HttpHeaders headers) {
        Optional<String> v = headers.firstValue("Retry-After");
        if (v.isEmpty()) return null;
        try {
            return Duration.ofSeconds(Long.parseLong(v.get().strip()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.between(ZonedDateTime.now(), at).isNegative() ? Duration.ZERO : Duration.between(ZonedDateTime.now(), at);
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
