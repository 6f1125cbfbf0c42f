package dev.treesum.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.treesum.ExitCode;
import dev.treesum.Failures;
import dev.treesum.TreesumException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of treesum's own, on a data directory that outlives the process.
 */
public final class EmbeddedDatabase implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedDatabase.class);

	static final String USER = "postgres";

	static final String DATABASE = "postgres";

	/**
	 * The lock file the embedded server holds while a process uses the data directory.
	 */
	private static final String LOCK_FILE = "epg-lock";

	private final EmbeddedPostgres postgres;

	private EmbeddedDatabase(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	/**
	 * Start the server, creating the data directory on first use.
	 * @param dataDirectory where the data lives
	 * @return the running server
	 * @throws TreesumException if it cannot start, saying why, or another treesum process
	 * uses it
	 */
	public static EmbeddedDatabase start(Path dataDirectory) {
		try {
			Files.createDirectories(dataDirectory);
			boolean created = !Files.exists(dataDirectory.resolve("postgresql.conf"));
			if (created) {
				logger.info("Creating the embedded database in {}", dataDirectory);
			}
			else {
				stopOrphan(dataDirectory);
			}
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(false)
				// zonky turns it off for tests; treesum's results are meant to last
				.setServerConfig("synchronous_commit", "on")
				// treesum stops it when the command ends, also on SIGTERM (see
				// StopSignal)
				.setRegisterShutdownHook(false)
				.start();
			return new EmbeddedDatabase(postgres);
		}
		catch (TreesumException ex) {
			throw ex;
		}
		catch (IllegalStateException ex) {
			if (String.valueOf(ex.getMessage()).startsWith("could not lock")) {
				throw inUse(dataDirectory, ex);
			}
			throw cannotStart(dataDirectory, ex);
		}
		catch (IOException | RuntimeException ex) {
			throw cannotStart(dataDirectory, ex);
		}
	}

	private static TreesumException inUse(Path dataDirectory, Throwable cause) {
		return new TreesumException(ExitCode.ALREADY_RUNNING, "the embedded database in " + dataDirectory
				+ " is in use by another treesum process; wait for it, or set SPRING_DATASOURCE_URL", cause);
	}

	private static TreesumException cannotStart(Path dataDirectory, Throwable cause) {
		return new TreesumException(ExitCode.FAILED, "cannot start the embedded PostgreSQL in " + dataDirectory + ": "
				+ Failures.rootMessage(cause) + " (set SPRING_DATASOURCE_URL to use another server)", cause);
	}

	/**
	 * A treesum process killed with SIGKILL leaves its server running, and PostgreSQL
	 * will not start twice on one data directory. When no live treesum process holds the
	 * data directory's lock, such a server is an orphan: it gets a fast shutdown (a clean
	 * one, with a checkpoint) before a new server starts.
	 */
	private static void stopOrphan(Path dataDirectory) throws IOException {
		try (FileChannel lock = FileChannel.open(dataDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock held = lock.tryLock()) {
			if (held == null) {
				throw inUse(dataDirectory, null);
			}
		}
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile);
		if (lines.isEmpty()) {
			return;
		}
		long pid;
		try {
			pid = Long.parseLong(lines.get(0).trim());
		}
		catch (NumberFormatException ex) {
			return;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (process.isEmpty() || !isPostgres(pid)) {
			// A stale pid file: PostgreSQL itself checks and replaces it.
			return;
		}
		logger.info("Stopping the embedded database server left running by a process that died (pid {})", pid);
		try {
			new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
			process.get().onExit().get(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while stopping the orphaned server " + pid, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IOException("The orphaned server " + pid + " did not stop within 60 s", ex);
		}
	}

	private static boolean isPostgres(long pid) {
		try {
			String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
			return commandLine.contains("postgres");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Return the JDBC URL of the server's database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + DATABASE + "?user=" + USER
				+ "&reWriteBatchedInserts=true&ApplicationName=treesum";
	}

	/**
	 * Return a connection string for {@code psql}.
	 * @return the URI
	 */
	public String psqlUri() {
		return "postgresql://" + USER + "@localhost:" + this.postgres.getPort() + "/" + DATABASE;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

}
