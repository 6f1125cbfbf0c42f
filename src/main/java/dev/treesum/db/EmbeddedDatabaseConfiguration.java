package dev.treesum.db;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import dev.treesum.TreesumProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url}, treesum runs its own PostgreSQL server (real
 * binaries, unpacked from a Maven artifact) on a data directory under
 * {@code $TREESUM_HOME}, kept between runs and stopped cleanly when the command ends.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrl.class)
class EmbeddedDatabaseConfiguration {

	/**
	 * The server, as started while the application was built, or started now.
	 */
	@Bean(destroyMethod = "close")
	EmbeddedDatabase embeddedDatabase(TreesumProperties properties, ObjectProvider<EmbeddedDatabaseStart> started) {
		Path dataDirectory = EmbeddedDatabaseStart.dataDirectory(properties.home());
		EmbeddedDatabaseStart start = started.getIfAvailable();
		EmbeddedDatabase database = (start != null) ? start.take(dataDirectory) : null;
		return (database != null) ? database : EmbeddedDatabase.start(dataDirectory);
	}

	/**
	 * The pool, configured by {@code spring.datasource.hikari.*} as Spring Boot's own
	 * would be.
	 */
	@Bean(destroyMethod = "close")
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedDatabase database) {
		return DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(database.jdbcUrl())
			.username(EmbeddedDatabase.USER)
			.build();
	}

	static class NoDataSourceUrl implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return embedded(context.getEnvironment());
		}

		/**
		 * Return whether the application uses the embedded server: it is given no
		 * database of its own.
		 * @param environment the application's environment
		 * @return {@code true} without a {@code spring.datasource.url}
		 */
		static boolean embedded(Environment environment) {
			String url = environment.getProperty("spring.datasource.url");
			return url == null || url.isBlank();
		}

	}

}
