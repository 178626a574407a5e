package lib;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retry with exponential backoff and full jitter. Retries what a later try may cure:
 * {@link Transient} (5xx, 429; it may carry the server's Retry-After) and I/O errors such as a
 * reset connection. Everything else fails at once.
 */
public final class Retry {
    /** A failure worth another try; {@code retryAfter} is what the server asked us to wait. */
    public static final class Transient extends StepFailed {
        private final Duration retryAfter;

        public Transient(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private final int attempts;
    private final Duration base;
    private final Sleeper sleeper;
    private final PrintStream log;

    public Retry(int attempts, Duration base, Sleeper sleeper, PrintStream log) {
        this.attempts = attempts;
        this.base = base;
        this.sleeper = sleeper;
        this.log = log;
    }

    /** Five tries over about 15 s at the most: enough for a registry or token endpoint hiccup. */
    public static Retry standard(PrintStream log) {
        return new Retry(5, Duration.ofMillis(500), d -> Thread.sleep(d.toMillis()), log);
    }

    public <T> T run(String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (Transient | IOException e) {
                if (e instanceof IOException io && !retryable(io))
                    throw new StepFailed(what + ": " + describe(e), e);
                if (attempt >= attempts)
                    throw new StepFailed(what + ": " + describe(e) + " (gave up after " + attempts + " tries)", e);
                Duration wait = delay(attempt, e instanceof Transient t ? t.retryAfter() : Optional.empty());
                log.printf("%s: %s; trying again in %.1f s (%d/%d)%n", what, describe(e), wait.toMillis() / 1000.0, attempt + 1, attempts);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StepFailed(what + ": interrupted", ie);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailed(what + ": interrupted", e);
            }
        }
    }

    Duration delay(int attempt, Optional<Duration> retryAfter) {
        long cap = Math.min(MAX_WAIT.toMillis(), base.toMillis() << Math.min(attempt - 1, 16));
        long jittered = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        long wanted = retryAfter.map(Duration::toMillis).map(ms -> Math.min(ms, MAX_WAIT.toMillis())).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, wanted));
    }

    /** A timeout is retried: a hung endpoint gets a few bounded chances, then a clear error. */
    private static boolean retryable(IOException e) {
        return !(e instanceof javax.net.ssl.SSLHandshakeException) && !(e instanceof java.net.UnknownHostException)
                || e instanceof HttpTimeoutException || e instanceof ConnectException;
    }

    static String describe(Throwable e) {
        if (e instanceof StepFailed) return e.getMessage();
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? kind : kind + ": " + m;
    }
}
