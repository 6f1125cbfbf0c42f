package dev.treesum.db;

import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * How many connections a process may hold, so that many hosts fit one server. A command
 * that does not scan gets the configured pool (2 by default, opened on demand and closed
 * when idle). A scan with N partition threads holds at most N + 2: one per partition
 * thread for its chunk's transaction, one for the scan lock, held for the whole run, and
 * one for the short statements of the heartbeat, the job repository, the launcher and the
 * readers' lookups ahead of their chunks, which wait for a connection rather than open
 * more.
 */
@Component
public class ConnectionBudget {

	private final ObjectProvider<DataSource> dataSource;

	ConnectionBudget(ObjectProvider<DataSource> dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * Return the connections a scan holds at most.
	 * @param threads partitions run at once
	 * @return {@code threads + 2}
	 */
	public static int forScan(int threads) {
		return threads + 2;
	}

	/**
	 * Let the pool grow to what a scan needs, until the lease is closed. Only connections
	 * actually asked for are opened: the pool keeps none idle.
	 * @param threads partitions run at once
	 * @return the lease, which puts the pool back as it was
	 */
	public Lease scan(int threads) {
		HikariDataSource pool = hikari();
		if (pool == null) {
			return () -> {
			};
		}
		int configured = pool.getMaximumPoolSize();
		// The pool reads its maximum at run time, also once it has started.
		pool.setMaximumPoolSize(forScan(threads));
		return () -> pool.setMaximumPoolSize(configured);
	}

	private HikariDataSource hikari() {
		DataSource source = this.dataSource.getObject();
		try {
			return source.isWrapperFor(HikariDataSource.class) ? source.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * A pool sized for one scan.
	 */
	public interface Lease extends AutoCloseable {

		@Override
		void close();

	}

}
