package dev.treesum.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.treesum.TreesumProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Where the data is, told as a {@code psql} connection string.
 */
@Component
public class DatabaseLocation {

	private final ObjectProvider<EmbeddedDatabase> embedded;

	private final ObjectProvider<DataSource> dataSource;

	private final String schema;

	DatabaseLocation(ObjectProvider<EmbeddedDatabase> embedded, ObjectProvider<DataSource> dataSource,
			TreesumProperties properties) {
		this.embedded = embedded;
		this.dataSource = dataSource;
		this.schema = properties.schema();
	}

	/**
	 * Return whether treesum runs the database itself.
	 * @return {@code true} when no {@code spring.datasource.url} is set
	 */
	public boolean isEmbedded() {
		return this.embedded.getIfAvailable() != null;
	}

	/**
	 * Return whether the embedded server is another treesum process's, which this one
	 * joined to read beside it.
	 * @return {@code true} for a joined embedded server
	 */
	public boolean isJoined() {
		EmbeddedDatabase database = this.embedded.getIfAvailable();
		return database != null && database.isJoined();
	}

	/**
	 * Return a connection string for {@code psql}, with treesum's schema first on the
	 * search path; for the embedded server this starts it.
	 * @return such as
	 * {@code postgresql://postgres@localhost:5432/postgres?options=-csearch_path%3Dtreesum}
	 */
	public String psqlUri() {
		return server() + "?options=-csearch_path%3D" + URLEncoder.encode(this.schema, StandardCharsets.UTF_8);
	}

	private String server() {
		EmbeddedDatabase database = this.embedded.getIfAvailable();
		if (database != null) {
			return database.psqlUri();
		}
		DataSource source = this.dataSource.getObject();
		String url = (source instanceof HikariDataSource hikari) ? hikari.getJdbcUrl() : null;
		if (url == null) {
			throw new IllegalStateException("The data source does not say its URL");
		}
		String uri = url.replaceFirst("^jdbc:", "");
		int query = uri.indexOf('?');
		return (query >= 0) ? uri.substring(0, query) : uri;
	}

}
