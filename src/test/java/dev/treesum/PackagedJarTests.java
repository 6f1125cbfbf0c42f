package dev.treesum;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the build packages, run as users run it: {@code java -jar treesum.jar}, and the
 * launcher {@code target/treesum} that the README's first command runs. Run by failsafe
 * after the package phase (surefire runs before the jar exists).
 */
class PackagedJarTests {

	@TempDir
	private Path temp;

	@Test
	void theLauncherScansAndPrintsOnlyTheResultWithItsOwnJvmOptions() throws Exception {
		Path launcher = Path.of(System.getProperty("treesum.launcher", "target/treesum"));
		assertThat(launcher).isExecutable();
		Path tree = Files.createDirectories(this.temp.resolve("tree"));
		for (int i = 0; i < 50; i++) {
			Files.writeString(tree.resolve("file-" + i), "content " + i);
		}

		Run scan = run(launcher, "-q", "scan", tree.toString());
		Run status = run(launcher, "status", "--format", "csv");

		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.stdout()).as("the last line alone: nothing the JVM says about its compiler")
			.matches("scan \\d+ completed: 50 files, .*\n");
		assertThat(scan.stderr()).as("-q leaves standard error empty").isEmpty();
		assertThat(scan.vmLog()).as("a scan, also after -q, keeps the optimising compiler for its digests")
			.contains("compiler directives added")
			.doesNotContain("TieredStopAtLevel");
		assertThat(status.exitCode()).as(status.toString()).isZero();
		assertThat(status.stdout().lines()).hasSize(2);
		assertThat(status.stdout()).contains("COMPLETED", tree.toString());
		assertThat(status.vmLog()).as("other commands get the quick compiler only")
			.contains("-XX:TieredStopAtLevel=1")
			.doesNotContain("compiler directives added");
	}

	@Test
	void theLaunchersArchiveHoldsPicocliThatEveryCommandLoadsFirst() throws Exception {
		Path launcher = Path.of(System.getProperty("treesum.launcher", "target/treesum"));
		Path classLog = this.temp.resolve("classes.log");

		Run version = run(launcher, "-Xlog:class+load=info:file=" + classLog, new String[] { "--version" });

		assertThat(version.exitCode()).as(version.toString()).isZero();
		// Java 5 class files: a dynamic archive leaves them out, a static one takes them.
		assertThat(Files.readAllLines(classLog)).as("where the first classes came from")
			.anyMatch((line) -> line.contains(" picocli.CommandLine source: shared objects file"))
			.anyMatch((line) -> line.contains(" dev.treesum.TreesumApplication source: shared objects file"));
	}

	@Test
	void theLauncherRunsFromADirectoryWhoseNameHasASpace() throws Exception {
		Path built = Path.of(System.getProperty("treesum.launcher", "target/treesum"));
		Path installed = Files.createDirectories(this.temp.resolve("an install"));
		Files.copy(built, installed.resolve("treesum"), StandardCopyOption.COPY_ATTRIBUTES);
		FileSystemUtils.copyRecursively(built.resolveSibling("treesum-app"), installed.resolve("treesum-app"));
		Path tree = Files.createDirectories(this.temp.resolve("tree"));
		Files.writeString(tree.resolve("file"), "content");

		Run scan = run(installed.resolve("treesum"), "scan", tree.toString());

		assertThat(scan.exitCode()).as(scan.toString()).isZero();
		assertThat(scan.stdout()).startsWith("scan 1 completed: 1 files, ");
		assertThat(scan.vmLog()).contains("compiler directives added");
	}

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

	private Run run(Path launcher, String... arguments) throws Exception {
		return run(launcher, "", arguments);
	}

	private Run run(Path launcher, String javaOptions, String[] arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(launcher.toString());
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(this.temp.resolve("out").toFile())
			.redirectError(this.temp.resolve("err").toFile());
		builder.environment().put("TREESUM_HOME", this.temp.resolve("home").toString());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().remove("SPRING_DATASOURCE_URL");
		// The JVM's own log records its options and the compiler directives it read.
		Path vmLog = this.temp.resolve("vm.log");
		Files.deleteIfExists(vmLog);
		builder.environment()
			.put("JAVA_OPTS",
					"-XX:+UnlockDiagnosticVMOptions -XX:+LogVMOutput -XX:LogFile=" + vmLog + " " + javaOptions);
		Process process = builder.start();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		return new Run(process.exitValue(), Files.readString(this.temp.resolve("out")),
				Files.readString(this.temp.resolve("err")), Files.exists(vmLog) ? Files.readString(vmLog) : "");
	}

	private record Run(int exitCode, String stdout, String stderr, String vmLog) {

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
