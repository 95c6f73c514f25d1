package dev.harp.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Wraps an initialized {@link SSLContext} so that every engine and server socket it creates has
 * only the allowed protocol versions enabled, whatever the JDK's security properties would allow.
 * Cipher suites are left alone. Everything else is delegated, to a context that may be made only when first
 * needed ({@link MitmTls#deferredServerContext}).
 */
final class LimitedProtocolsContext extends SSLContextSpi {
    private final Supplier<SSLContext> delegate;
    private final List<String> allowed;

    private LimitedProtocolsContext(Supplier<SSLContext> delegate, List<String> allowed) {
        this.delegate = delegate;
        this.allowed = List.copyOf(allowed);
    }

    static SSLContext wrap(SSLContext initialized, List<String> allowedProtocols) {
        return new Wrapper(new LimitedProtocolsContext(() -> initialized, allowedProtocols), initialized.getProvider(),
                initialized.getProtocol());
    }

    /**
     * Wraps a context made on first use: {@code initialized} is asked for it by every call, and must answer the same
     * initialized context each time (waiting for it the first time, if need be).
     */
    static SSLContext wrapDeferred(Supplier<SSLContext> initialized, Provider provider, String protocol,
                                   List<String> allowedProtocols) {
        return new Wrapper(new LimitedProtocolsContext(initialized, allowedProtocols), provider, protocol);
    }

    private String[] limit(String[] protocols) {
        return Arrays.stream(protocols).filter(allowed::contains).toArray(String[]::new);
    }

    private SSLEngine limit(SSLEngine engine) {
        engine.setEnabledProtocols(limit(engine.getEnabledProtocols()));
        return engine;
    }

    private SSLParameters limit(SSLParameters parameters) {
        parameters.setProtocols(limit(parameters.getProtocols()));
        return parameters;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        throw new KeyManagementException("this SSLContext is already initialized");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return delegate.get().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return new ServerSockets(delegate.get().getServerSocketFactory());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return limit(delegate.get().createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return limit(delegate.get().createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return delegate.get().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return delegate.get().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return limit(delegate.get().getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return limit(delegate.get().getSupportedSSLParameters());
    }

    /** The material of a context made by {@link #wrapDeferred} with a {@link DeferredMaterial}, else null. */
    static DeferredMaterial deferred(SSLContext context) {
        return context instanceof Wrapper w && w.spi.delegate instanceof DeferredMaterial material ? material : null;
    }

    /** {@link SSLContext}'s constructor is protected; this is the public face of the wrapper. */
    private static final class Wrapper extends SSLContext {
        private final LimitedProtocolsContext spi;

        Wrapper(LimitedProtocolsContext spi, Provider provider, String protocol) {
            super(spi, provider, protocol);
            this.spi = spi;
        }
    }

    /** Limits the protocols of each server socket; accepted sockets inherit them. */
    private final class ServerSockets extends SSLServerSocketFactory {
        private final SSLServerSocketFactory factory;

        ServerSockets(SSLServerSocketFactory factory) {
            this.factory = factory;
        }

        private ServerSocket limit(ServerSocket socket) {
            SSLServerSocket tls = (SSLServerSocket) socket;
            tls.setEnabledProtocols(LimitedProtocolsContext.this.limit(tls.getEnabledProtocols()));
            return tls;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return limit(factory.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return limit(factory.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return limit(factory.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return limit(factory.createServerSocket(port, backlog, address));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return factory.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return factory.getSupportedCipherSuites();
        }
    }
}
