package dev.harp.resilience;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A body subscriber that takes {@code wanted} bytes, then cancels its subscription (an h2 RST_STREAM). */
final class PartialBody implements HttpResponse.BodySubscriber<Void> {
    final CompletableFuture<Long> enough = new CompletableFuture<>();
    private final long wanted;
    private volatile java.util.concurrent.Flow.Subscription subscription;
    volatile long received;

    PartialBody(long wanted) {
        this.wanted = wanted;
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> getBody() {
        return enough.thenApply(n -> null);
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<java.nio.ByteBuffer> items) {
        for (java.nio.ByteBuffer b : items) {
            received += b.remaining();
        }
        if (received >= wanted) {
            enough.complete(received); // first: cancelling fails the call at once ("Stream N cancelled")
            cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        enough.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        enough.complete(received);
    }

    void cancel() {
        java.util.concurrent.Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
