package dev.treesum;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar the build packages, run as users run it: {@code java -jar treesum.jar}. Run by
 * failsafe after the package phase (surefire runs before the jar exists).
 */
class PackagedJarTests {

	@Test
	void versionIsTheBuildsVersion() throws Exception {
		Path jar = Path.of(System.getProperty("treesum.jar", "target/treesum.jar"));
		assertThat(jar).exists();

		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString(), "--version")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

		assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).isEqualTo("treesum " + System.getProperty("treesum.version") + "\n");
		assertThat(System.getProperty("treesum.version")).isNotBlank().isEqualTo(projectVersion());
	}

	/**
	 * The version the POM declares, read independently of the build's properties.
	 */
	private static String projectVersion() throws Exception {
		String pom = Files.readString(Path.of("pom.xml"));
		int artifact = pom.indexOf("<artifactId>treesum</artifactId>");
		int start = pom.indexOf("<version>", artifact) + "<version>".length();
		return pom.substring(start, pom.indexOf("</version>", start));
	}

}
