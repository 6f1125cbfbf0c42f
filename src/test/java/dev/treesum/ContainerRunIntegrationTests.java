package dev.treesum;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * treesum run the way the CronJob's container runs it: the same arguments and environment
 * (database from the environment, stable host, JSON logs), a read-only root file system
 * with only the temp directory writable, the scanned volume mounted read-only under the
 * scan root, and no capability but reading every file. Needs root for the mount
 * namespace; skipped otherwise.
 */
class ContainerRunIntegrationTests {

	private static final Pattern SUMMARY = Pattern.compile("scan (\\d+) completed: 3 files");

	@Test
	void scansReadOnlyVolumesWithJsonLogsOnAReadOnlyRoot() throws Exception {
		Assumptions.assumeTrue(canUseMountNamespaces(), "needs root and unshare -m to build the container's view");
		Path base = Path.of("target", "container-run").toAbsolutePath();
		Path scanRoot = base.resolve("scan");
		Path volume = base.resolve("volume");
		TestTrees.sh("rm -rf " + base + " && mkdir -p " + scanRoot.resolve("data") + " " + volume.resolve("sub"));
		Files.writeString(volume.resolve("a.txt"), "alpha\n");
		Files.writeString(volume.resolve("sub/b.txt"), "beta\n");
		Files.write(volume.resolve("sub/c.bin"), new byte[70000]);
		TestTrees.sh("chmod 000 " + volume.resolve("sub/c.bin"));
		// The project (with the class path) may itself live under /tmp, which the
		// container
		// view replaces with an empty tmpfs: carry it over from a bind of the old /tmp.
		Path project = Path.of("").toAbsolutePath();
		String keepProject = project.startsWith("/tmp/") ? " && mkdir -p " + project + " && mount --rbind /mnt/"
				+ Path.of("/tmp").relativize(project) + " " + project : "";
		String container = "mount --bind -o ro " + volume + " " + scanRoot.resolve("data")
				+ " && mount --rbind /tmp /mnt && mount -t tmpfs tmp /tmp" + keepProject
				+ " && mount -o remount,bind,ro / && cd " + base
				+ " && exec setpriv --bounding-set=-all,+dac_read_search --inh-caps=-all \"$@\"";

		TreesumProcess.Result result = TreesumProcess.against("scan", scanRoot.toString())
			.env("TREESUM_HOST", "cluster-volumes-" + ProcessHandle.current().pid())
			.env("SPRING_PROFILES_ACTIVE", "json-logs")
			.env("TREESUM_STOP_TIMEOUT", "20s")
			.through("unshare", "-m", "--propagation", "private", "sh", "-c", container, "sh")
			.run();

		assertThat(result.exitCode()).as(result.toString()).isZero();
		Matcher summary = SUMMARY.matcher(result.out());
		assertThat(summary.find()).as(result.toString()).isTrue();
		ObjectMapper json = new ObjectMapper();
		List<String> lines = result.stderr().lines().toList();
		assertThat(lines).isNotEmpty();
		for (String line : lines) {
			JsonNode event = json.readTree(line);
			assertThat(event.path("message").isTextual()).as(line).isTrue();
			assertThat(event.path("log").path("level").isTextual()).as(line).isTrue();
		}
		assertThat(lines).anyMatch((line) -> line.contains("/scan/data: started"))
			.anyMatch((line) -> line.contains("/scan/data: completed 3 files"));
		Map<String, String> digests = new TreeMap<>();
		try (Connection connection = DriverManager.getConnection(TestDatabase.url());
				PreparedStatement statement = connection.prepareStatement(
						"select path_text, digest from treesum_file where scan_id = ? and kind = 'file'")) {
			statement.setLong(1, Long.parseLong(summary.group(1)));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					digests.put(rows.getString(1), HexFormat.of().formatHex(rows.getBytes(2)));
				}
			}
		}
		Path data = scanRoot.resolve("data");
		assertThat(digests).containsOnlyKeys(data.resolve("a.txt").toString(), data.resolve("sub/b.txt").toString(),
				data.resolve("sub/c.bin").toString());
		assertThat(digests.get(data.resolve("a.txt").toString()))
			.isEqualTo(TestTrees.sh("printf 'alpha\\n' | sha256sum").substring(0, 64));
		assertThat(digests.get(data.resolve("sub/c.bin").toString())).as("a file only root may read")
			.isEqualTo(TestTrees.sh("head -c 70000 /dev/zero | sha256sum").substring(0, 64));
	}

	private static boolean canUseMountNamespaces() {
		try {
			Process process = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
					"mount -t tmpfs probe /mnt && command -v setpriv")
				.redirectErrorStream(true)
				.start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (Exception ex) {
			return false;
		}
	}

}
