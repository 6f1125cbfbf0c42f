package dev.treesum.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * The version from Spring Boot's build information, which the build writes into the
 * classes: the container image runs them exploded, without the jar's manifest.
 */
class VersionProvider implements IVersionProvider {

	static final String BUILD_INFO = "META-INF/build-info.properties";

	@Override
	public String[] getVersion() throws IOException {
		Properties build = new Properties();
		try (InputStream in = VersionProvider.class.getClassLoader().getResourceAsStream(BUILD_INFO)) {
			if (in != null) {
				build.load(in);
			}
		}
		String version = build.getProperty("build.version");
		return new String[] { "treesum " + ((version != null) ? version : "(development build)") };
	}

}
