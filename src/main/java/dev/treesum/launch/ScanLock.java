package dev.treesum.launch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * A PostgreSQL session advisory lock on one host's set of roots, held on a connection of
 * its own for as long as the scan runs. Two processes cannot both hold it, and the server
 * releases it when its holder's session ends, however the process died.
 */
public final class ScanLock implements AutoCloseable {

	private final Connection connection;

	private final boolean acquired;

	private ScanLock(Connection connection, boolean acquired) {
		this.connection = connection;
		this.acquired = acquired;
	}

	public static ScanLock tryAcquire(DataSource dataSource, String host, String rootsKey) {
		Connection connection;
		try {
			connection = dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new CannotGetJdbcConnectionException("Cannot reach the database", ex);
		}
		try (PreparedStatement statement = connection
			.prepareStatement("select pg_try_advisory_lock(hashtextextended(?, 0))")) {
			statement.setString(1, "treesum scan\n" + host + "\n" + rootsKey);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return new ScanLock(connection, result.getBoolean(1));
			}
		}
		catch (SQLException ex) {
			JdbcUtils.closeConnection(connection);
			throw new CannotGetJdbcConnectionException("Cannot take the scan lock", ex);
		}
	}

	public boolean acquired() {
		return this.acquired;
	}

	@Override
	public void close() {
		// A pooled connection outlives the scan, so the lock must be released explicitly.
		try {
			try (PreparedStatement statement = this.connection.prepareStatement("select pg_advisory_unlock_all()")) {
				statement.execute();
			}
		}
		catch (SQLException ex) {
			// the session is gone, and the lock with it
		}
		finally {
			JdbcUtils.closeConnection(this.connection);
		}
	}

}
