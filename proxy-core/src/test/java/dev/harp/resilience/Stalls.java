package dev.harp.resilience;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** What a test reports when a call stalls: where the proxy's and the upstream's threads are, grouped by stack. */
final class Stalls {
    private Stalls() {
    }

    /** Whether a response future completed, and how. */
    static String state(CompletableFuture<?> f) {
        if (!f.isDone()) {
            return "not arrived";
        }
        try {
            f.get();
            return "arrived";
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        } catch (java.util.concurrent.CancellationException e) {
            return "cancelled";
        }
    }

    /** The stacks (top 12 frames) of the proxy's, upstream's and HTTP client threads, identical ones counted once. */
    static String report() {
        Map<String, Integer> stacks = new TreeMap<>();
        Thread.getAllStackTraces().forEach((t, frames) -> {
            String name = t.getName();
            if (!(name.startsWith("XNIO") || name.startsWith("harp-") || name.startsWith("HttpClient") || name.startsWith("chaos-"))) {
                return;
            }
            StringBuilder b = new StringBuilder(name.replaceAll("\\d+", "N")).append(' ').append(t.getState());
            for (int i = 0; i < Math.min(12, frames.length); i++) {
                b.append("\n      ").append(frames[i]);
            }
            stacks.merge(b.toString(), 1, Integer::sum);
        });
        StringBuilder out = new StringBuilder("\nthreads at the stall:");
        stacks.forEach((stack, n) -> out.append("\n  ").append(n).append(" x ").append(stack));
        return out.toString();
    }
}
