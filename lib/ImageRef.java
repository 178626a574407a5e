package lib;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OCI image reference, {@code registry/repository[:tag][@digest]}, following the grammar of
 * distribution/reference: lowercase path components, tags {@code [\w][\w.-]{0,127}}, a host with an
 * optional port, and at most 255 characters for {@code registry/repository}.
 */
public record ImageRef(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";
    static final int MAX_NAME_LENGTH = 255;

    private static final String LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern HOST = Pattern.compile(
            "(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9a-fA-F:.]+\\])(?::([0-9]{1,5}))?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile(
            "[a-z][a-z0-9]*(?:[-_+.][a-z][a-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageRef {
        checkHost(registry, "registry");
        checkRepository(repository, "repository");
        if (tag != null) checkTag(tag, "tag");
        if (digest != null) checkDigest(digest, "digest");
        String name = registry + "/" + repository;
        if (name.length() > MAX_NAME_LENGTH)
            throw new BadInput("image name '" + abbreviate(name) + "' is " + name.length()
                    + " characters; at most " + MAX_NAME_LENGTH + " are allowed");
    }

    /** {@code registry/repository:tag} for a target built from parts already validated one by one. */
    public static ImageRef of(String registry, String repository, String tag) {
        return new ImageRef(registry, repository, tag, null);
    }

    /**
     * Parses a full reference. A first component without '.', ':' or 'localhost' is a Docker Hub
     * path, as docker resolves it ({@code busybox} is {@code docker.io/library/busybox:latest}).
     */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) throw new BadInput("image reference is empty");
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            checkDigest(digest, "digest in '" + abbreviate(text) + "'");
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            checkTag(tag, "tag in '" + abbreviate(text) + "'");
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase())) {
                registry = first;
                repository = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) repository = "library/" + repository;
        if (tag == null && digest == null) tag = "latest";
        try {
            return new ImageRef(registry, repository, tag, digest);
        } catch (BadInput e) {
            throw new BadInput("image reference '" + abbreviate(text) + "': " + e.getMessage());
        }
    }

    /** A registry host: DNS name or IP literal, optional port 1-65535; no scheme, userinfo or path. */
    public static String checkHost(String host, String what) {
        if (host == null || host.isEmpty()) throw new BadInput(what + " is empty; give a host such as registry.example.com:5000");
        var m = HOST.matcher(host);
        if (!m.matches())
            throw new BadInput(what + " '" + abbreviate(host) + "' is not a registry host; allowed: a host name or IP with an optional :port, no scheme, user or path");
        if (m.group(1) != null) {
            int port = Integer.parseInt(m.group(1));
            if (port < 1 || port > 65535)
                throw new BadInput(what + " '" + host + "' has port " + port + "; allowed: 1-65535");
        }
        return host;
    }

    /** A repository path: '/'-separated lowercase components of [a-z0-9] joined by '.', '_', '__' or dashes. */
    public static String checkRepository(String path, String what) {
        if (path == null || path.isEmpty()) throw new BadInput(what + " is empty");
        if (path.length() > MAX_NAME_LENGTH)
            throw new BadInput(what + " is " + path.length() + " characters; at most " + MAX_NAME_LENGTH + " are allowed");
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches())
                throw new BadInput(what + " '" + abbreviate(path) + "' is not a valid repository path; allowed: "
                        + "lowercase components of a-z, 0-9 separated by '.', '_', '__' or '-', joined by '/'");
        }
        return path;
    }

    public static String checkTag(String tag, String what) {
        if (tag == null || tag.isEmpty()) throw new BadInput(what + " is empty");
        if (!TAG.matcher(tag).matches())
            throw new BadInput(what + " '" + abbreviate(tag) + "' is not a valid tag; allowed: [A-Za-z0-9_] then up to 127 of [A-Za-z0-9_.-]");
        return tag;
    }

    public static String checkDigest(String digest, String what) {
        if (!DIGEST.matcher(digest).matches() || (digest.startsWith("sha256:") && !SHA256.matcher(digest).matches()))
            throw new BadInput(what + " '" + abbreviate(digest) + "' is not a valid digest; allowed: sha256: and 64 lowercase hex digits");
        return digest;
    }

    /** The host to talk to for the registry API: Docker Hub's API lives elsewhere. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** What to ask the manifest endpoint for: the digest when pinned, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    public ImageRef withTag(String newTag) {
        return new ImageRef(registry, repository, newTag, null);
    }

    public ImageRef withDigest(String newDigest) {
        return new ImageRef(registry, repository, null, newDigest);
    }

    public Optional<String> digestOpt() {
        return Optional.ofNullable(digest);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Keeps hostile or huge input from flooding the one error line; control characters shown escaped. */
    static String abbreviate(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        StringBuilder b = new StringBuilder();
        for (char c : shown.toCharArray()) {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
