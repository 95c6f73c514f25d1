package dev.harp.replay;

import dev.harp.flow.HttpHeader;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A recorded response made ready to serve at load time: headers cleaned, body decoded into bytes once, so a
 * replay hit costs no parsing, no decoding and no blocking work.
 *
 * @param entryIndex  position of the entry in the HAR
 * @param status      status code
 * @param reason      reason phrase (may be empty)
 * @param headers     headers to send, hop-by-hop and pseudo-headers dropped, {@code Content-Length} correct
 * @param body        the body bytes (read-only; duplicate before use)
 * @param waitMillis  recorded wait time, for latency simulation
 * @param receiveMillis recorded receive time, for latency simulation
 */
public record ReplayResponse(int entryIndex, int status, String reason, List<HttpHeader> headers, ByteBuffer body,
                             double waitMillis, double receiveMillis) {
    /** Copies the header list and makes the body read-only. */
    public ReplayResponse {
        headers = List.copyOf(headers);
        body = body.asReadOnlyBuffer();
    }

    /** A fresh view of the body for one send. */
    public ByteBuffer bodyView() {
        return body.duplicate();
    }

    /** Body length in bytes. */
    public int bodyLength() {
        return body.remaining();
    }
}
