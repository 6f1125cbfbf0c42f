package dev.treesum.db;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.treesum.ExitCode;
import dev.treesum.Failures;
import dev.treesum.TreesumException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of treesum's own, on a data directory that outlives the process:
 * the server binaries that come with treesum, unpacked once, run as a child process that
 * this object starts and stops. A server runs as root only inside a user namespace of its
 * own ({@code unshare -U}), where it is not root, since PostgreSQL refuses to run as
 * root.
 */
public final class EmbeddedDatabase implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedDatabase.class);

	static final String USER = "postgres";

	static final String DATABASE = "postgres";

	/**
	 * One cache of unpacked binaries per user, that user's own: see
	 * {@link PostgresBinaries}.
	 */
	private static final Path BINARIES = Path.of(System.getProperty("java.io.tmpdir"),
			"treesum-postgres-" + PostgresBinaries.currentUser());

	/**
	 * What every server gets: times as instants, up to 300 clients, and a commit waits
	 * until its log is on the disk. With the disk flushes off (zonky's {@code -F}) an
	 * operating system crash or a power cut could corrupt the whole history; with them
	 * on, 300,000 files scanned no slower (11.1 s against 12.0 s, medians of 3 in one
	 * run).
	 */
	private static final Map<String, String> SETTINGS = Map.of("timezone", "UTC", "max_connections", "300",
			"synchronous_commit", "on");

	/** Long enough for the recovery after a crash of a big database. */
	private static final long START_TIMEOUT_SECONDS = 600;

	private static final long START_PATIENCE_SECONDS = 10;

	/**
	 * How long a command that only reads waits for the server of the process that holds
	 * the data directory to accept connections: that process may be starting it.
	 */
	private static final long JOIN_PATIENCE_SECONDS = 10;

	private static final long STOP_TIMEOUT_SECONDS = 60;

	private static final int PORT_ATTEMPTS = 3;

	private static final long MAX_LOG_BYTES = 10 * 1024 * 1024;

	private final Path dataDirectory;

	private final FileChannel lockFile;

	private final FileLock lock;

	private final Process server;

	private final int port;

	private EmbeddedDatabase(Path dataDirectory, FileChannel lockFile, FileLock lock, Process server, int port) {
		this.dataDirectory = dataDirectory;
		this.lockFile = lockFile;
		this.lock = lock;
		this.server = server;
		this.port = port;
	}

	/**
	 * Start the server, creating the data directory on first use.
	 * @param dataDirectory where the data lives
	 * @return the running server
	 * @throws TreesumException if it cannot start, saying why, or another treesum process
	 * uses it
	 */
	public static EmbeddedDatabase start(Path dataDirectory) {
		return start(dataDirectory, Map.of());
	}

	/**
	 * Start the server with settings of its own, such as a test's
	 * {@code max_connections}.
	 * @param dataDirectory where the data lives
	 * @param settings server settings over treesum's
	 * @return the running server
	 */
	public static EmbeddedDatabase start(Path dataDirectory, Map<String, String> settings) {
		EmbeddedDatabase database = startUnlessInUse(dataDirectory, settings);
		if (database == null) {
			throw inUse(dataDirectory);
		}
		return database;
	}

	/**
	 * Start the server, or join the one that another treesum process runs on the same
	 * data directory: for commands that only read, such as a {@code status} while a scan
	 * runs. A joined server is not this process's to stop; if its owner stops it first,
	 * the command fails as it would on any server that goes away.
	 * @param dataDirectory where the data lives
	 * @return the running server, this process's or another's
	 * @throws TreesumException if it cannot start, saying why, or another process holds
	 * the data directory without a server ready to join (creating it, say) for longer
	 * than a few seconds
	 */
	public static EmbeddedDatabase startOrJoin(Path dataDirectory) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_PATIENCE_SECONDS);
		while (true) {
			EmbeddedDatabase database = startUnlessInUse(dataDirectory, Map.of());
			if (database != null) {
				return database;
			}
			OptionalInt port = readyPort(dataDirectory);
			if (port.isPresent()) {
				logger.debug("Joined the embedded database of another treesum process on port {}", port.getAsInt());
				return new EmbeddedDatabase(dataDirectory, null, null, null, port.getAsInt());
			}
			if (System.nanoTime() > deadline) {
				throw inUse(dataDirectory);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw cannotStart(dataDirectory, ex);
			}
		}
	}

	/**
	 * Start the server, unless another treesum process holds the data directory.
	 * @return the running server, or {@code null} if the data directory is in use
	 */
	private static EmbeddedDatabase startUnlessInUse(Path dataDirectory, Map<String, String> settings) {
		FileChannel lockFile = null;
		FileLock lock = null;
		try {
			Files.createDirectories(dataDirectory.getParent());
			lockFile = FileChannel.open(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			lock = lockFile.tryLock();
			if (lock == null) {
				release(lockFile, null);
				return null;
			}
			Path binaries = PostgresBinaries.unpacked(BINARIES);
			boolean asRoot = isRoot();
			if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
				logger.info("Creating the embedded database in {}", dataDirectory);
				initdb(binaries, dataDirectory, asRoot);
			}
			else {
				stopOrphan(dataDirectory);
			}
			IOException failure = null;
			for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
				int port = freePort();
				long logStart = logSize(dataDirectory);
				Process server = postgres(binaries, dataDirectory, port, settings, asRoot);
				try {
					awaitReady(server, dataDirectory, logStart);
					return new EmbeddedDatabase(dataDirectory, lockFile, lock, server, port);
				}
				catch (IOException ex) {
					failure = ex;
					server.destroyForcibly().waitFor();
					if (!log(dataDirectory, logStart).contains("could not bind")) {
						break;
					}
				}
				catch (InterruptedException | RuntimeException ex) {
					server.destroyForcibly();
					throw ex;
				}
			}
			throw failure;
		}
		catch (TreesumException ex) {
			release(lockFile, lock);
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			release(lockFile, lock);
			throw cannotStart(dataDirectory, ex);
		}
		catch (IOException | RuntimeException ex) {
			release(lockFile, lock);
			throw cannotStart(dataDirectory, ex);
		}
	}

	private static void initdb(Path binaries, Path dataDirectory, boolean asRoot)
			throws IOException, InterruptedException {
		// Into a directory of its own first, so that an initdb that dies leaves nothing
		// half made where the data belongs.
		Path partial = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".initdb");
		PostgresBinaries.deleteQuietly(partial);
		List<String> command = command(binaries, "initdb", asRoot);
		command.addAll(List.of("-A", "trust", "-U", USER, "-D", partial.toString(), "-E", "UTF-8"));
		Path output = Files.createTempFile("treesum-initdb", ".log");
		try {
			Process initdb = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (initdb.waitFor() != 0) {
				throw new IOException("initdb failed: " + lastLines(Files.readString(output)));
			}
		}
		finally {
			Files.deleteIfExists(output);
		}
		if (Files.isDirectory(dataDirectory)) {
			try (var entries = Files.list(dataDirectory)) {
				if (entries.findAny().isPresent()) {
					throw new IOException(dataDirectory + " is not empty and holds no PostgreSQL data: move it away");
				}
			}
			Files.delete(dataDirectory);
		}
		Files.move(partial, dataDirectory);
	}

	private static Process postgres(Path binaries, Path dataDirectory, int port, Map<String, String> settings,
			boolean asRoot) throws IOException {
		// A session of its own: a terminal's Ctrl-C goes to treesum, which stops its scan
		// cleanly and then the server, not to the server too.
		List<String> command = new ArrayList<>(List.of("setsid"));
		command.addAll(command(binaries, "postgres", asRoot));
		command.addAll(List.of("-D", dataDirectory.toString(), "-p", Integer.toString(port)));
		Map<String, String> all = new TreeMap<>(SETTINGS);
		all.putAll(settings);
		all.forEach((name, value) -> {
			command.add("-c");
			command.add(name + "=" + value);
		});
		// The server's own messages go to a file, not a pipe: a server that outlives a
		// killed treesum must not write into a closed pipe. The file is kept across
		// starts, as what a crashed server said is what an operator needs.
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(dataDirectory).toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
	}

	private static Path logFile(Path dataDirectory) {
		return dataDirectory.resolve("postgres.log");
	}

	private static long logSize(Path dataDirectory) throws IOException {
		Path log = logFile(dataDirectory);
		if (Files.exists(log) && Files.size(log) > MAX_LOG_BYTES) {
			Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
		}
		return Files.exists(log) ? Files.size(log) : 0;
	}

	/**
	 * What the server wrote to its log since the given offset: this start's messages.
	 */
	private static String log(Path dataDirectory, long from) {
		try (FileChannel log = FileChannel.open(logFile(dataDirectory), StandardOpenOption.READ)) {
			log.position(from);
			return new String(Channels.newInputStream(log).readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static List<String> command(Path binaries, String program, boolean asRoot) {
		List<String> command = new ArrayList<>();
		if (asRoot) {
			command.addAll(List.of("unshare", "-U"));
		}
		command.add(binaries.resolve("bin").resolve(program).toString());
		return command;
	}

	/**
	 * Wait until the server says, in its pid file, that it accepts connections; that may
	 * take a recovery after a crash.
	 */
	private static void awaitReady(Process server, Path dataDirectory, long logStart)
			throws IOException, InterruptedException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		long start = System.nanoTime();
		long patience = start + TimeUnit.SECONDS.toNanos(START_PATIENCE_SECONDS);
		long deadline = start + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new IOException("the server exited with " + server.exitValue() + ": "
						+ lastLines(log(dataDirectory, logStart)));
			}
			if (isReady(pidFile, server.pid())) {
				return;
			}
			if (patience != 0 && System.nanoTime() > patience) {
				patience = 0;
				logger.info("Waiting for the embedded database to start; it may be recovering from a crash (log: {})",
						logFile(dataDirectory));
			}
			Thread.sleep(5);
		}
		throw new IOException("the server did not start within " + START_TIMEOUT_SECONDS + " s: "
				+ lastLines(log(dataDirectory, logStart)));
	}

	/**
	 * Return the port of the server that runs on the data directory and accepts
	 * connections, as its pid file says; empty if none does.
	 */
	private static OptionalInt readyPort(Path dataDirectory) {
		try {
			List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
			if (lines.size() < 8 || !lines.get(7).trim().equals("ready")) {
				return OptionalInt.empty();
			}
			long pid = Long.parseLong(lines.get(0).trim());
			if (server(pid, dataDirectory).isEmpty()) {
				return OptionalInt.empty();
			}
			return OptionalInt.of(Integer.parseInt(lines.get(3).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return OptionalInt.empty();
		}
	}

	private static boolean isReady(Path pidFile, long pid) {
		try {
			List<String> lines = Files.readAllLines(pidFile);
			return lines.size() >= 8 && lines.get(0).trim().equals(Long.toString(pid))
					&& lines.get(7).trim().equals("ready");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean isRoot() {
		return PostgresBinaries.currentUser() == 0;
	}

	private static TreesumException inUse(Path dataDirectory) {
		return new TreesumException(ExitCode.ALREADY_RUNNING, "the embedded database in " + dataDirectory
				+ " is in use by another treesum process; wait for it, or set SPRING_DATASOURCE_URL");
	}

	private static TreesumException cannotStart(Path dataDirectory, Throwable cause) {
		return new TreesumException(ExitCode.FAILED, "cannot start the embedded PostgreSQL in " + dataDirectory + ": "
				+ Failures.rootMessage(cause) + " (set SPRING_DATASOURCE_URL to use another server)", cause);
	}

	/**
	 * A treesum process killed with SIGKILL leaves its server running, and PostgreSQL
	 * will not start twice on one data directory. With the data directory's lock held, a
	 * server still running on it is such an orphan: it gets a fast shutdown (a clean one,
	 * with a checkpoint) before a new server starts.
	 */
	private static void stopOrphan(Path dataDirectory) throws IOException {
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
		Optional<ProcessHandle> process = server(pid, dataDirectory);
		if (process.isEmpty()) {
			// A stale pid file. PostgreSQL would refuse to start while its pid is another
			// live process's; with the lock held, no server of this directory runs.
			Files.deleteIfExists(pidFile);
			return;
		}
		logger.info("Stopping the embedded database server left running by a process that died (pid {})", pid);
		stop(process.get());
	}

	/**
	 * Return the live process of a pid file's pid if it is the data directory's server.
	 */
	private static Optional<ProcessHandle> server(long pid, Path dataDirectory) {
		return ProcessHandle.of(pid)
			.filter(ProcessHandle::isAlive)
			.filter((process) -> servesFrom(process.pid(), dataDirectory));
	}

	/**
	 * Whether the process works in the data directory, as its server does: a pid that a
	 * reboot gave to another process does not.
	 */
	private static boolean servesFrom(long pid, Path dataDirectory) {
		try {
			return Path.of("/proc", Long.toString(pid), "cwd").toRealPath().equals(dataDirectory.toRealPath());
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A fast shutdown: sessions are ended, the server checkpoints and exits. A server
	 * that does not is killed, since the data directory's lock is released next.
	 */
	private static void stop(ProcessHandle server) throws IOException {
		try {
			int signalled = new ProcessBuilder("kill", "-INT", Long.toString(server.pid()))
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start()
				.waitFor();
			if (signalled != 0 && server.isAlive()) {
				server.destroyForcibly();
			}
			server.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			server.destroyForcibly();
			throw new IOException("Interrupted while stopping the server " + server.pid(), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			server.destroyForcibly();
			throw new IOException(
					"The server " + server.pid() + " did not stop within " + STOP_TIMEOUT_SECONDS + " s and was killed",
					ex);
		}
	}

	private static String lastLines(String text) {
		List<String> lines = text.lines().filter((line) -> !line.isBlank()).toList();
		return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
	}

	private static void release(FileChannel lockFile, FileLock lock) {
		try {
			if (lock != null) {
				lock.release();
			}
			if (lockFile != null) {
				lockFile.close();
			}
		}
		catch (IOException ex) {
			// the process is going away, and its locks with it
		}
	}

	/**
	 * Return the JDBC URL of the server's database.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/" + DATABASE + "?user=" + USER
				+ "&reWriteBatchedInserts=true&ApplicationName=treesum";
	}

	/**
	 * Return a connection string for {@code psql}.
	 * @return the URI
	 */
	public String psqlUri() {
		return "postgresql://" + USER + "@localhost:" + this.port + "/" + DATABASE;
	}

	/**
	 * Return whether this is another treesum process's server, which this one joined.
	 * @return {@code true} if it was joined rather than started
	 */
	public boolean isJoined() {
		return this.server == null;
	}

	@Override
	public void close() throws IOException {
		if (isJoined()) {
			return;
		}
		try {
			if (this.server.isAlive()) {
				stop(this.server.toHandle());
			}
		}
		finally {
			release(this.lockFile, this.lock);
		}
	}

	@Override
	public String toString() {
		return "PostgreSQL in " + this.dataDirectory + " on port " + this.port;
	}

}
