package dev.tokenservice.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the service and its database that a test can cut, to make an
 * outage of a server it must not stop. Cut one of two ways: {@link #refuse()} closes
 * every connection and the listening socket (a stopped or restarting server), and
 * {@link #blackhole()} keeps every connection open but passes no byte either way (a
 * network partition: nothing is lost, it is delivered once {@link #restore() restored}).
 */
public final class TcpProxy implements AutoCloseable {

	private enum State {

		OPEN, REFUSING, BLACKHOLED, CLOSED

	}

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private final InetSocketAddress target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final int port;

	private ServerSocket server;

	private State state = State.OPEN;

	private TcpProxy(InetSocketAddress target) {
		this.target = target;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		startAccepting(this.server);
	}

	/** A proxy on a free port of the loopback interface, forwarding to the target. */
	public static TcpProxy to(String host, int port) {
		return new TcpProxy(new InetSocketAddress(host, port));
	}

	public int port() {
		return this.port;
	}

	/** Drops every connection and refuses new ones, until {@link #restore()}. */
	public synchronized void refuse() {
		this.state = State.REFUSING;
		closeQuietly(this.server);
		this.sockets.forEach(TcpProxy::closeQuietly);
		notifyAll();
	}

	/** Stops passing bytes on every connection, old or new, until {@link #restore()}. */
	public synchronized void blackhole() {
		this.state = State.BLACKHOLED;
	}

	/** Forwards again, on the same port. */
	public synchronized void restore() {
		if (this.state == State.CLOSED) {
			return;
		}
		if (this.state == State.REFUSING) {
			this.server = listen(this.port);
			startAccepting(this.server);
		}
		this.state = State.OPEN;
		notifyAll();
	}

	@Override
	public synchronized void close() {
		this.state = State.CLOSED;
		closeQuietly(this.server);
		this.sockets.forEach(TcpProxy::closeQuietly);
		notifyAll();
	}

	private static ServerSocket listen(int port) {
		try {
			ServerSocket server = new ServerSocket();
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(LOOPBACK, port));
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void startAccepting(ServerSocket server) {
		daemon("tcp-proxy-accept", () -> {
			while (!server.isClosed()) {
				try {
					Socket client = server.accept();
					daemon("tcp-proxy-connect", () -> connect(client));
				}
				catch (IOException ex) {
					// Closed by refuse() or close().
				}
			}
		});
	}

	private void connect(Socket client) {
		this.sockets.add(client);
		if (!awaitOpen()) {
			discard(client);
			return;
		}
		Socket upstream = new Socket();
		this.sockets.add(upstream);
		try {
			upstream.connect(this.target, 5000);
			daemon("tcp-proxy-up", () -> pump(client, upstream));
			daemon("tcp-proxy-down", () -> pump(upstream, client));
		}
		catch (IOException ex) {
			discard(client);
			discard(upstream);
		}
	}

	/** Copies bytes one way, holding each chunk while the proxy is blackholed. */
	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1 && awaitOpen()) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// One side went away: the other follows below.
		}
		finally {
			discard(from);
			discard(to);
		}
	}

	/** Waits while blackholed; whether bytes may pass now. */
	private synchronized boolean awaitOpen() {
		while (this.state == State.BLACKHOLED) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return this.state == State.OPEN;
	}

	private static void daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void discard(Socket socket) {
		closeQuietly(socket);
		this.sockets.remove(socket);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
