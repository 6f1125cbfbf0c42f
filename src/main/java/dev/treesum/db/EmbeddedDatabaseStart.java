package dev.treesum.db;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The embedded server, started in a thread of its own while Spring builds the
 * application: a command that needs it waits for what remains of its start rather than
 * for all of it. Whatever no bean takes, because the command ended before it needed the
 * database, is stopped when the application closes.
 */
public final class EmbeddedDatabaseStart implements DisposableBean {

	static final String BEAN_NAME = "embeddedDatabaseStart";

	private final Path dataDirectory;

	private final CompletableFuture<EmbeddedDatabase> database;

	private boolean taken;

	private EmbeddedDatabaseStart(Path dataDirectory, boolean join) {
		this.dataDirectory = dataDirectory;
		this.database = new CompletableFuture<>();
		Thread starting = new Thread(() -> {
			try {
				this.database.complete(
						join ? EmbeddedDatabase.startOrJoin(dataDirectory) : EmbeddedDatabase.start(dataDirectory));
			}
			catch (RuntimeException | Error ex) {
				this.database.completeExceptionally(ex);
			}
		}, "database-start");
		starting.setDaemon(true);
		starting.start();
	}

	/**
	 * Start the embedded server now, unless the application is given another database. An
	 * application context initializer, to be added for commands that use the database.
	 * @param context the application about to be built
	 * @param join whether the command may join the server another treesum process runs,
	 * since it only reads
	 */
	public static void inBackground(ConfigurableApplicationContext context, boolean join) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (!EmbeddedDatabaseConfiguration.NoDataSourceUrl.embedded(environment)) {
			return;
		}
		Binder.get(environment).bind("treesum.home", Path.class).ifBound((home) -> {
			EmbeddedDatabaseStart start = new EmbeddedDatabaseStart(dataDirectory(home), join);
			DefaultListableBeanFactory beans = (DefaultListableBeanFactory) context.getBeanFactory();
			beans.registerSingleton(BEAN_NAME, start);
			beans.registerDisposableBean(BEAN_NAME, start);
		});
	}

	/**
	 * Return where the embedded server of a treesum home keeps its data.
	 * @param home {@code treesum.home}
	 * @return the data directory
	 */
	static Path dataDirectory(Path home) {
		return home.resolve("pgdata");
	}

	/**
	 * Return the server of that data directory, waiting for its start; the caller closes
	 * it.
	 * @param dataDirectory the data directory the application asks for
	 * @return the server, or {@code null} if this one was started elsewhere
	 */
	synchronized EmbeddedDatabase take(Path dataDirectory) {
		if (!this.dataDirectory.equals(dataDirectory)) {
			return null;
		}
		try {
			EmbeddedDatabase database = this.database.join();
			this.taken = true;
			return database;
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error cause) {
				throw cause;
			}
			throw ex;
		}
	}

	@Override
	public synchronized void destroy() throws IOException {
		if (this.taken) {
			return;
		}
		this.taken = true;
		EmbeddedDatabase database = this.database.exceptionally((ex) -> null).join();
		if (database != null) {
			database.close();
		}
	}

}
