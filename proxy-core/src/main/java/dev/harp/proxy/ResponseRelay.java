package dev.harp.proxy;

import dev.harp.flow.FlowResponse;
import dev.harp.flow.HttpHeader;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The response half of a {@link Relay}: writes the upstream's head to the client, then pumps the body across, teeing
 * it into the capture. The flow is recorded just before the write that completes the body (so a client holding the
 * whole response finds it recorded, and in auto mode replayable), or at the end of a body without a length.
 */
final class ResponseRelay implements BodyPump.Events {
    private final Relay relay;
    private final ClientExchange upstream;
    private final ClientResponse response;
    private int status;
    private String reason;
    private List<HttpHeader> headers;
    private long declared;
    private long relayed;
    private StreamSinkChannel out;

    ResponseRelay(Relay relay, ClientExchange upstream, ClientResponse response) {
        this.relay = relay;
        this.upstream = upstream;
        this.response = response;
    }

    void start() {
        HttpServerExchange ex = relay.request().exchange();
        status = response.getResponseCode();
        reason = response.getStatus();
        headers = Exchanges.toList(response.getResponseHeaders());
        if (dev.harp.flow.Headers.first(headers, "transfer-encoding") != null) {
            // RFC 9112 6.3: Transfer-Encoding overrides Content-Length, which must not be passed on
            headers = headers.stream().filter(h -> !h.is("content-length")).toList();
        }
        Exchanges.writeHead(ex, status, reason, headers);
        declared = Exchanges.isHeadersOnly(relay.request().method(), status) ? 0 : declaredLength(headers);
        relay.ending().responseBody().expect(declared);
        out = ex.getResponseChannel();
        BodyPump pump = new BodyPump(upstream.getResponseChannel(), out, relay.owner().buffers(), this);
        relay.responsePump(pump);
        pump.start();
    }

    /** The response's Content-Length, or -1 when it has none (chunked, or delimited by the end of an h2 stream). */
    static long declaredLength(List<HttpHeader> headers) {
        String value = dev.harp.flow.Headers.first(headers, "content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The client is gone (found by the watch while the upstream paused mid-body). */
    void clientGone(String reason) {
        relay.ending().clientLeftDuringResponse(flowResponse(), new IOException(reason));
    }

    private FlowResponse flowResponse() {
        return new FlowResponse(status, reason, response.getProtocol().toString(), headers,
                relay.ending().responseBody().finishOrRelease());
    }

    @Override
    public void data(ByteBuffer chunk) throws IOException {
        relay.ending().responseBody().write(chunk);
        relayed += chunk.remaining();
        if (!relay.ending().delivered() && declared >= 0 && relayed >= declared) {
            relay.ending().complete(flowResponse());
        }
    }

    @Override
    public void ended() {
        if (declared > 0 && relayed < declared) {
            sourceFailed(new IOException("the connection ended after " + relayed + " of " + declared + " bytes"));
            return;
        }
        if (!relay.ending().delivered()) {
            relay.ending().complete(flowResponse());
        }
        relay.upstreamDone();
        try {
            out.shutdownWrites();
            if (!out.flush()) {
                out.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        channel -> {
                            channel.getWriteSetter().set(null);
                            relay.responseSent();
                        },
                        (channel, e) -> clientGoneAtEnd(e)));
                out.resumeWrites();
                return;
            }
        } catch (IOException e) {
            clientGoneAtEnd(e);
            return;
        }
        relay.responseSent();
    }

    @Override
    public void sourceFailed(IOException error) {
        if (relay.ending().delivered()) {
            // every byte was relayed and recorded; only the upstream's end of stream went wrong: its connection is
            // not reused
            relay.upstreamBroken();
            IoUtils.safeClose(relay.request().exchange().getConnection());
            return;
        }
        relay.ending().upstreamBrokeOff(flowResponse(), error);
    }

    @Override
    public void sinkFailed(IOException error) {
        relay.ending().clientLeftDuringResponse(relay.ending().delivered() ? null : flowResponse(), error);
    }

    private void clientGoneAtEnd(IOException e) {
        // already recorded: only the end of the stream did not reach the client
        ClientAborts.log(relay.request().target().url(), "client went away before the end of the response: " + e);
        IoUtils.safeClose(relay.request().exchange().getConnection());
    }
}
