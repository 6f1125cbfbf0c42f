package dev.treesum.fleet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.treesum.TreesumProcess;
import dev.treesum.db.EmbeddedDatabase;

/**
 * A fleet of hosts sharing one PostgreSQL server of their own, as nodes of a cluster
 * share one in production: each host has a tree of its own and runs treesum in a child
 * JVM whose connections carry its name as their application name, so that the server's
 * {@code pg_stat_activity} tells whose they are. A sampler reads it every few
 * milliseconds and keeps the peaks.
 */
final class FleetSimulation implements Closeable {

	private static final Pattern COMPLETED = Pattern.compile("scan (\\d+) completed: ([\\d,]+) files, ");

	/** Every connection of a child carries this prefix in its application name. */
	private static final String PREFIX = "fleet-";

	private final Path work;

	private final EmbeddedDatabase server;

	private final String url;

	private final Sampler sampler;

	private final AtomicInteger runs = new AtomicInteger();

	private FleetSimulation(Path work, EmbeddedDatabase server) throws SQLException {
		this.work = work;
		this.server = server;
		// The test's own queries look in treesum's schema, as the application's do (and
		// in
		// public, where a build before the schema of its own kept its tables).
		this.url = server.jdbcUrl().replaceFirst("\\?.*", "?currentSchema=treesum,public");
		this.sampler = new Sampler(this.url);
	}

	/**
	 * Start a server of the fleet's own.
	 * @param work where the server's data, the trees and the outputs go
	 * @param maxConnections the server's {@code max_connections}
	 * @return the fleet, its sampler running
	 */
	static FleetSimulation start(Path work, int maxConnections) throws IOException, SQLException {
		EmbeddedDatabase server = EmbeddedDatabase.start(work.resolve("pgdata"),
				Map.of("max_connections", Integer.toString(maxConnections)));
		FleetSimulation fleet = new FleetSimulation(work, server);
		fleet.sampler.start();
		return fleet;
	}

	/**
	 * Return the name of the i-th host.
	 */
	static String host(int i) {
		return String.format("node-%02d", i);
	}

	/**
	 * Write the tree of a host: small files of its own, and one file whose content every
	 * host has.
	 * @param host the host
	 * @param files how many files
	 * @return the tree's root
	 */
	Path tree(String host, int files) throws IOException {
		Path root = Files.createDirectories(this.work.resolve("trees").resolve(host));
		for (int i = 0; i < files - 1; i++) {
			Path directory = Files.createDirectories(root.resolve("d" + (i % 10)));
			Files.writeString(directory.resolve("f" + i), "file " + i + " of " + host + "\n");
		}
		Files.writeString(root.resolve("shared.txt"), "the same on every host\n");
		return root.toRealPath();
	}

	/**
	 * Start treesum in a child JVM against the fleet's server.
	 * @param name the run's name, its connections' application name after the prefix
	 * @param arguments the command line
	 * @return the process
	 */
	Run start(String name, String... arguments) throws IOException {
		return start(null, name, arguments);
	}

	/**
	 * Start a build of treesum from its jar in a child JVM against the fleet's server.
	 * @param jar the build's jar, or {@code null} for this build's classes
	 * @param name the run's name, its connections' application name after the prefix
	 * @param arguments the command line
	 * @return the process
	 */
	Run start(Path jar, String name, String... arguments) throws IOException {
		String application = PREFIX + name;
		Path out = this.work.resolve("out").resolve(name + "-" + this.runs.incrementAndGet());
		Files.createDirectories(out.getParent());
		Process process = TreesumProcess.against(arguments)
			.jar(jar)
			.env("SPRING_DATASOURCE_URL",
					((jar != null) ? this.url.replace("currentSchema=treesum,public", "currentSchema=public")
							: this.url.replace("currentSchema=treesum,public", "currentSchema=treesum"))
							+ "&ApplicationName=" + application)
			.builder(Path.of(out + ".stdout"), Path.of(out + ".stderr"))
			.start();
		return new Run(application, process, Path.of(out + ".stdout"), Path.of(out + ".stderr"));
	}

	/**
	 * Return the most connections each application held at once.
	 */
	Map<String, Integer> peaks() {
		return Map.copyOf(this.sampler.peaks);
	}

	/**
	 * Return the most connections the fleet held at once.
	 */
	int peakTotal() {
		return this.sampler.peakTotal;
	}

	/**
	 * Return how many times the sampler read the server's activity.
	 */
	int samples() {
		return this.sampler.samples;
	}

	/**
	 * Return one number from the server.
	 */
	long count(String sql, Object... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "");
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	/**
	 * Return rows from the server, each row's columns joined by {@code |}.
	 */
	List<String> rows(String sql, Object... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "");
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				List<String> rows = new ArrayList<>();
				int columns = result.getMetaData().getColumnCount();
				while (result.next()) {
					StringBuilder row = new StringBuilder();
					for (int i = 1; i <= columns; i++) {
						row.append((i > 1) ? "|" : "").append(result.getString(i));
					}
					rows.add(row.toString());
				}
				return rows;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.sampler.stop();
		this.server.close();
	}

	/**
	 * A treesum process of the fleet.
	 *
	 * @param application its connections' application name
	 * @param process the process
	 * @param stdout where its standard output goes
	 * @param stderr where its standard error goes
	 */
	record Run(String application, Process process, Path stdout, Path stderr) {

		/**
		 * Wait for the process to end.
		 * @param timeout how long at most
		 * @return its exit code
		 */
		int await(Duration timeout) throws InterruptedException, IOException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				String threads = threads();
				this.process.destroyForcibly().waitFor();
				throw new AssertionError(this.application + " did not end within " + timeout + "; stderr:\n" + err()
						+ "\nthreads:\n" + threads);
			}
			return this.process.exitValue();
		}

		/**
		 * Return the threads of a process that hangs, as {@code jcmd} prints them.
		 */
		private String threads() throws IOException, InterruptedException {
			Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
			Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(this.process.pid()), "Thread.print")
				.redirectErrorStream(true)
				.start();
			String threads = new String(dump.getInputStream().readAllBytes());
			dump.waitFor();
			return threads;
		}

		String out() throws IOException {
			return Files.readString(this.stdout);
		}

		String err() throws IOException {
			return Files.readString(this.stderr);
		}

		/**
		 * Return the id of the scan that completed, from the last line of its output.
		 */
		long completedScan() throws IOException {
			List<String> lines = out().lines().toList();
			Matcher matcher = COMPLETED.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
			if (!matcher.find()) {
				throw new AssertionError(this.application + " did not complete a scan:\n" + out() + "\n" + err());
			}
			return Long.parseLong(matcher.group(1));
		}

		@Override
		public String toString() {
			try {
				return this.application + ": exit " + (this.process.isAlive() ? "-" : this.process.exitValue())
						+ "\nstdout:\n" + out() + "\nstderr:\n" + err();
			}
			catch (IOException ex) {
				return this.application;
			}
		}

	}

	/**
	 * Reads the server's connections every few milliseconds, by application name, on a
	 * connection of its own that it does not count.
	 */
	private static final class Sampler {

		private final Connection connection;

		private final Map<String, Integer> peaks = new ConcurrentHashMap<>();

		private volatile int peakTotal;

		private volatile int samples;

		private volatile boolean running = true;

		private final Thread thread;

		Sampler(String url) throws SQLException {
			this.connection = DriverManager.getConnection(url + "&ApplicationName=sampler", "postgres", "");
			this.thread = new Thread(this::sample, "connection-sampler");
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		private void sample() {
			try (PreparedStatement statement = this.connection
				.prepareStatement("select application_name, count(*) from pg_stat_activity "
						+ "where backend_type = 'client backend' and application_name like ? group by 1")) {
				statement.setString(1, PREFIX + "%");
				while (this.running) {
					int total = 0;
					try (ResultSet result = statement.executeQuery()) {
						while (result.next()) {
							int count = result.getInt(2);
							total += count;
							this.peaks.merge(result.getString(1), count, Math::max);
						}
					}
					this.peakTotal = Math.max(this.peakTotal, total);
					this.samples++;
					Thread.sleep(5);
				}
			}
			catch (SQLException ex) {
				if (this.running) {
					throw new IllegalStateException("The connection sampler failed", ex);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void stop() {
			this.running = false;
			try {
				this.thread.join(5000);
				this.connection.close();
			}
			catch (InterruptedException | SQLException ex) {
				// the server goes away next
			}
		}

	}

}
