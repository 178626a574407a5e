package lib;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a registry's {@code WWW-Authenticate} challenge with the credentials the docker config
 * holds for that host: Basic directly, Bearer through the token service the challenge names.
 * Tokens are cached per host and scope.
 */
public final class RegistryAuth {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private final HttpClient http;
    private final Function<String, Optional<Credential>> credentials;
    private final Map<String, String> headers = new ConcurrentHashMap<>();

    public RegistryAuth(HttpClient http, Function<String, Optional<Credential>> credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    /** The Authorization header we already hold for this host and scope, if any. */
    public Optional<String> cached(String host, String scope) {
        return Optional.ofNullable(headers.get(host + " " + scope));
    }

    /**
     * Works out an Authorization header from a 401's challenge. Returns empty when the registry
     * wants credentials and the docker config has none for it.
     */
    public Optional<String> answer(String host, String scope, String challenge) throws IOException, InterruptedException {
        if (challenge == null || challenge.isBlank()) return Optional.empty();
        Optional<Credential> cred = credentials.apply(host);
        String header;
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (cred.isEmpty()) return Optional.empty();
            header = basic(cred.get());
        } else if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            header = "Bearer " + token(host, scope, params(challenge), cred);
        } else {
            throw new StepFailed("registry " + host + " asks for an unsupported authentication scheme: " + challenge.split(" ")[0]);
        }
        headers.put(host + " " + scope, header);
        return Optional.of(header);
    }

    private String token(String host, String scope, Map<String, String> p, Optional<Credential> cred)
            throws IOException, InterruptedException {
        String realm = p.get("realm");
        if (realm == null) throw new StepFailed("registry " + host + " sent a Bearer challenge without a realm");
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (p.containsKey("service")) url.append("service=").append(enc(p.get("service"))).append('&');
        url.append("scope=").append(enc(p.getOrDefault("scope", scope)));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(Duration.ofSeconds(30)).GET();
        cred.ifPresent(c -> req.header("Authorization", basic(c)));
        HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 401 || res.statusCode() == 403)
            throw new StepFailed("registry " + host + " refused the credentials " + (cred.isPresent() ? "from the docker config" : "(none in the docker config)")
                    + ": token service answered HTTP " + res.statusCode());
        if (res.statusCode() >= 500 || res.statusCode() == 429)
            throw new Retry.Transient("token service of " + host + " answered HTTP " + res.statusCode(), null);
        if (res.statusCode() != 200)
            throw new StepFailed("token service of " + host + " answered HTTP " + res.statusCode());
        Map<String, Object> body = JSON.std.mapFrom(res.body());
        Object token = body.getOrDefault("token", body.get("access_token"));
        if (!(token instanceof String t) || t.isEmpty())
            throw new StepFailed("token service of " + host + " answered without a token");
        return t;
    }

    static Map<String, String> params(String challenge) {
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        return p;
    }

    private static String basic(Credential c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
