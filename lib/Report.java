package lib;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.*;

/**
 * The outcome of a push: the built digest and, for every ref, what its registry serves now. One
 * report is printed, written as JSON for other CIs and published as Actions outputs and summary.
 */
public record Report(String digest, List<Entry> entries, List<String> tags) {

    /** One ref as read back: {@code found} is the digest its registry serves, {@code error} why not. */
    public record Entry(ImageRef ref, String found, String error) {
        public boolean ok(String expected) {
            return error == null && expected.equals(found);
        }

        String problem(String expected) {
            if (error != null) return error;
            return found == null ? "not found in its registry" : "resolves to " + found;
        }
    }

    /** The digest the engine wrote to its metadata file; the only source of truth for what was built. */
    public static String digestFrom(Path metadataFile, String tool) {
        try {
            Map<String, Object> m = JSON.std.mapFrom(Files.readString(metadataFile));
            Object d = m.get("containerimage.digest");
            if (d instanceof String s && s.startsWith("sha256:")) return s;
            throw new StepFailed(tool + " wrote no containerimage.digest to " + metadataFile + " (was the image pushed?)");
        } catch (IOException e) {
            throw new StepFailed(tool + " left no readable metadata file " + metadataFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every ref back from its own registry, a few at a time; a registry that fails is
     * recorded and the rest are still checked.
     */
    public static Report verify(String digest, List<ImageRef> refs, List<String> tags, Registry registry) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(refs.size(), 8)));
        try {
            List<Future<Entry>> pending = new ArrayList<>();
            for (ImageRef ref : refs) pending.add(pool.submit(() -> readBack(ref, registry)));
            List<Entry> entries = new ArrayList<>();
            for (Future<Entry> f : pending) entries.add(f.get());
            return new Report(digest, List.copyOf(entries), tags);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed("verification was interrupted", e);
        } catch (ExecutionException e) {
            throw new StepFailed("verification failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Entry readBack(ImageRef ref, Registry registry) {
        try {
            return new Entry(ref, registry.digest(ref).orElse(null), null);
        } catch (StepFailed e) {
            return new Entry(ref, null, e.getMessage());
        }
    }

    public void publish(Ci ci, PrintStream out, Path outputJson) {
        out.println("digest " + digest);
        for (Entry e : entries) out.println((e.ok(digest) ? "verified " : "FAILED   ") + e.ref() + (e.ok(digest) ? "" : ": " + e.problem(digest)));
        String refsJson = json(entries.stream().map(e -> e.ref().toString()).toList());
        String tagsJson = json(tags);
        ci.output("digest", digest);
        ci.output("refs", refsJson);
        ci.output("tags", tagsJson);
        StringBuilder md = new StringBuilder("### Image pushed\n\nDigest: `" + digest + "`\n\n| ref | registry | verified |\n|---|---|---|\n");
        for (Entry e : entries)
            md.append("| `").append(e.ref()).append("` | ").append(e.ref().registry()).append(" | ")
                    .append(e.ok(digest) ? "yes" : "no: " + e.problem(digest).replace("|", "\\|")).append(" |\n");
        ci.summary(md.toString());
        if (outputJson != null) writeJson(outputJson);
    }

    /** Exit code 0 when every ref resolved to the digest; else the failure names each bad ref. */
    public int finish() {
        List<String> bad = entries.stream().filter(e -> !e.ok(digest)).map(e -> e.ref() + " (" + e.problem(digest) + ")").toList();
        if (!bad.isEmpty())
            throw new StepFailed(bad.size() + " of " + entries.size() + " refs did not verify against " + digest + ": " + String.join("; ", bad));
        return Cli.OK;
    }

    private void writeJson(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", digest);
        m.put("refs", entries.stream().map(e -> e.ref().toString()).toList());
        m.put("tags", tags);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("ref", e.ref().toString());
            c.put("verified", e.ok(digest));
            if (!e.ok(digest)) c.put("problem", e.problem(digest));
            checks.add(c);
        }
        m.put("verification", checks);
        try {
            Files.writeString(file, JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n");
        } catch (IOException e) {
            throw new StepFailed("cannot write --output-json " + file + ": " + e.getMessage(), e);
        }
    }

    private static String json(List<String> values) {
        try {
            return JSON.std.asString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
