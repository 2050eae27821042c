package dev.unplug.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;

/**
 * The part of a {@link Socket} that Unplug's socket wrappers ({@link OwnedSocket}, {@link LayeredSocket}) hand to
 * the socket beneath them unchanged: addresses, options, timeouts and states. A subclass gives {@link #inner()} and
 * overrides what it does its own way (streams, connect, close).
 */
abstract class DelegatingSocket extends Socket {

    /** The socket the unchanged calls go to. */
    abstract Socket inner();

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        inner().bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return inner().getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return inner().getLocalAddress();
    }

    @Override
    public int getPort() {
        return inner().getPort();
    }

    @Override
    public int getLocalPort() {
        return inner().getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return inner().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return inner().getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        inner().setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return inner().getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        inner().setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return inner().getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        inner().setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return inner().getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        inner().setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return inner().getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        inner().setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return inner().getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        inner().setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return inner().getKeepAlive();
    }

    @Override
    public void shutdownOutput() throws IOException {
        inner().shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return inner().isConnected();
    }

    @Override
    public boolean isBound() {
        return inner().isBound();
    }

    @Override
    public boolean isClosed() {
        return inner().isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return inner().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return inner().isOutputShutdown();
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        inner().setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return inner().getOption(name);
    }
}
