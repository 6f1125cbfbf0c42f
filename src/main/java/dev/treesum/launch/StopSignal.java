package dev.treesum.launch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM and SIGINT do to a running command. The JVM runs shutdown hooks on such a
 * signal and would then exit with 130 or 143 at once. During a scan, treesum's hook
 * instead asks the scan to stop, waits (boundedly) for it to finish, with the database
 * closed properly, and exits with the command's own code. Any other command (a report, an
 * export, {@code db --serve}) ends at once: the hook closes the application, which shuts
 * the embedded database down cleanly, and the JVM exits as signals make it exit. There is
 * one process, so this state is static.
 */
public final class StopSignal {

	private static final Logger logger = LoggerFactory.getLogger(StopSignal.class);

	private static final List<Runnable> actions = new CopyOnWriteArrayList<>();

	private static final CountDownLatch finished = new CountDownLatch(1);

	private static volatile long requestedAt;

	private static volatile boolean requested;

	private static volatile int exitCode = 3;

	private static volatile AutoCloseable application;

	private StopSignal() {
	}

	/**
	 * Run an action when a stop is requested, until the returned handle is closed: the
	 * hook then waits for the command to finish. An action registered after the request
	 * runs at once. Only a scan registers one: without any, a signal ends the command at
	 * once.
	 * @param action what to do, quickly and from another thread
	 * @return the registration
	 */
	public static Registration onStop(Runnable action) {
		actions.add(action);
		if (requested) {
			runSafely(action);
		}
		return () -> actions.remove(action);
	}

	/**
	 * Return whether a stop was requested.
	 * @return {@code true} after SIGTERM or SIGINT
	 */
	public static boolean isRequested() {
		return requested;
	}

	/**
	 * Return whether a stop has been waiting longer than the given time, after which work
	 * in progress should be abandoned rather than finished.
	 * @param patience how long to let work finish
	 * @return {@code true} if the stop is older
	 */
	public static boolean isOverdue(Duration patience) {
		return requested && System.nanoTime() - requestedAt > patience.toNanos();
	}

	/**
	 * Return a test of whether a stop has been waiting longer than the given time.
	 * @param patience how long to let work finish
	 * @return a test for {@link #isOverdue(Duration)} with that patience
	 */
	public static BooleanSupplier overdueAfter(Duration patience) {
		return () -> isOverdue(patience);
	}

	/**
	 * Install the JVM shutdown hook.
	 * @param timeout how long a stopping command may take before the process exits anyway
	 */
	public static void install(Duration timeout) {
		Thread hook = new Thread(() -> onSignal(timeout), "treesum-stop");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	/**
	 * Name what a signal closes when no scan is running to be stopped: the application,
	 * whose embedded database would otherwise outlive the process.
	 * @param closeable the application context
	 */
	public static void closeOnSignal(AutoCloseable closeable) {
		application = closeable;
	}

	/**
	 * Tell the hook that the command ended with the given code and the application is
	 * closed. Called by the main thread, always, before the JVM exits.
	 */
	public static void finished(int code) {
		exitCode = code;
		finished.countDown();
	}

	private static void onSignal(Duration timeout) {
		if (finished.getCount() == 0) {
			return;
		}
		requestedAt = System.nanoTime();
		requested = true;
		if (actions.isEmpty()) {
			endAtOnce(timeout);
			return;
		}
		logger.info("Stopping: finishing or rolling back the work in progress (at most {} s)", timeout.toSeconds());
		actions.forEach(StopSignal::runSafely);
		try {
			if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Did not stop within {} s: exiting anyway; the next run resumes the scan",
						timeout.toSeconds());
				Runtime.getRuntime().halt(3);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.out.flush();
		System.err.flush();
		// Runtime.exit would block inside a shutdown hook; halt keeps the command's code.
		Runtime.getRuntime().halt(exitCode);
	}

	/**
	 * Close the application in the hook's thread, whatever the command's thread is doing
	 * (a query, waiting for Ctrl-C), and let the JVM exit with the signal's code; only a
	 * close that hangs is given up after the stop timeout.
	 */
	private static void endAtOnce(Duration timeout) {
		AutoCloseable closeable = application;
		if (closeable == null) {
			return;
		}
		Thread closing = new Thread(() -> {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.warn("While stopping: {}", ex.getMessage());
			}
		}, "treesum-close");
		closing.setDaemon(true);
		closing.start();
		try {
			closing.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		System.out.flush();
		System.err.flush();
	}

	private static void runSafely(Runnable action) {
		try {
			action.run();
		}
		catch (RuntimeException ex) {
			logger.warn("While stopping: {}", ex.getMessage());
		}
	}

	/**
	 * An action registered with {@link #onStop(Runnable)}.
	 */
	public interface Registration extends AutoCloseable {

		@Override
		void close();

	}

}
