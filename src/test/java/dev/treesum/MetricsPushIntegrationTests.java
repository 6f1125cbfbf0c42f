package dev.treesum;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a Prometheus Pushgateway configured, a scan's gauges and Spring Batch's metrics
 * reach it when the command ends, under a grouping key of the host and the roots; without
 * one, nothing is sent. The Pushgateway is a small HTTP server on loopback that records
 * what it is sent.
 */
class MetricsPushIntegrationTests {

	@TempDir
	private Path temp;

	@Test
	void pushesTheJobsMetricsWhenTheScanEnds() throws Exception {
		TestTrees.mixedFiles(this.temp, 12, 5);
		List<String> pushes = new CopyOnWriteArrayList<>();
		HttpServer gateway = gateway(pushes);
		try {
			TreesumProcess.Result scan = TreesumProcess.against("scan", this.temp.toString())
				.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED", "true")
				.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
						"127.0.0.1:" + gateway.getAddress().getPort())
				.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_FORMAT", "text")
				.run();

			assertThat(scan.exitCode()).as(scan.toString()).isZero();
		}
		finally {
			gateway.stop(0);
		}
		assertThat(pushes).anySatisfy((push) -> assertThat(push).startsWith("POST /metrics/job/treesum/host/")
			.contains("spring_batch_job_seconds_count")
			// Chunks are observed; items, a million per scan, are not.
			.contains("spring_batch_chunk_write_seconds_count")
			.doesNotContain("spring_batch_item_"));
	}

	@Test
	void eachHostPushesUnderItsOwnGroupingKeyWithTheGaugesOfItsScan() throws Exception {
		Path first = Files.createDirectories(this.temp.resolve("first"));
		Path second = Files.createDirectories(this.temp.resolve("second"));
		TestTrees.mixedFiles(first, 12, 7);
		TestTrees.mixedFiles(second, 5, 8);
		String suffix = Long.toString(ProcessHandle.current().pid());
		String one = "metrics-one-" + suffix;
		String other = "metrics-other-" + suffix;
		List<String> pushes = new CopyOnWriteArrayList<>();
		HttpServer gateway = gateway(pushes);
		TreesumProcess.Result corrupted;
		try {
			assertCompleted(pushing(gateway, "scan", "--host", one, first.toString()).run());
			assertCompleted(pushing(gateway, "scan", "--host", other, second.toString()).run());
			Path rotten = first.resolve("d3/e0/f3.bin");
			FileTime mtime = Files.getLastModifiedTime(rotten);
			byte[] content = Files.readAllBytes(rotten);
			assertThat(content).isNotEmpty();
			content[content.length / 2] ^= 0x01;
			Files.write(rotten, content);
			Files.setLastModifiedTime(rotten, mtime);
			pushes.clear();
			corrupted = pushing(gateway, "scan", "--host", one, first.toString()).env("TREESUM_FAIL_ON", "corrupted")
				.run();
			assertCompleted(pushing(gateway, "scan", "--host", other, second.toString()).run());
		}
		finally {
			gateway.stop(0);
		}

		assertThat(corrupted.exitCode()).as(corrupted.toString()).isEqualTo(5);
		Map<String, String> byGroup = new HashMap<>();
		for (String push : pushes) {
			String group = push.substring(push.indexOf(' ') + 1, push.indexOf('\n'));
			byGroup.merge(group, push, (earlier, later) -> later);
		}
		String firstGroup = "/metrics/job/treesum/host/" + one + "/roots@base64/" + base64(first.toRealPath());
		String secondGroup = "/metrics/job/treesum/host/" + other + "/roots@base64/" + base64(second.toRealPath());
		assertThat(byGroup).containsOnlyKeys(firstGroup, secondGroup);
		assertThat(byGroup.get(firstGroup)).startsWith("POST ")
			.containsPattern("(?m)^treesum_scan_files 1[0-9]\\.0$")
			.containsPattern("(?m)^treesum_scan_changes\\{kind=\"corrupted\"} 1\\.0$")
			.containsPattern("(?m)^treesum_scan_changes\\{kind=\"modified\"} 0\\.0$")
			.containsPattern("(?m)^treesum_scan_errors 0\\.0$")
			.containsPattern("(?m)^treesum_scan_bytes [1-9][0-9.E]+$")
			.containsPattern("(?m)^treesum_scan_read_bytes [1-9][0-9.E]+$")
			.containsPattern("(?m)^treesum_scan_duration_seconds [0-9.E]+$")
			.containsPattern("(?m)^treesum_oldest_verification_age_seconds [0-9.E]+$")
			.containsPattern("(?m)^treesum_last_success_timestamp_seconds 1\\.[0-9]+E9$");
		assertThat(byGroup.get(secondGroup)).containsPattern("(?m)^treesum_scan_changes\\{kind=\"corrupted\"} 0\\.0$")
			.containsPattern("(?m)^treesum_scan_files [5-9]\\.0$");
	}

	private static TreesumProcess pushing(HttpServer gateway, String... arguments) {
		return TreesumProcess.against(arguments)
			.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ENABLED", "true")
			.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
					"127.0.0.1:" + gateway.getAddress().getPort())
			.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_FORMAT", "text");
	}

	private static void assertCompleted(TreesumProcess.Result scan) {
		assertThat(scan.exitCode()).as(scan.toString()).isZero();
	}

	/**
	 * A grouping key's value with a slash goes in base64url, as the Pushgateway's API
	 * says.
	 */
	private static String base64(Path root) {
		return Base64.getUrlEncoder().encodeToString(root.toString().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void pushesNothingUnlessConfigured() throws Exception {
		TestTrees.mixedFiles(this.temp, 3, 6);
		List<String> pushes = new CopyOnWriteArrayList<>();
		HttpServer gateway = gateway(pushes);
		try {
			TreesumProcess.Result scan = TreesumProcess.against("scan", this.temp.toString())
				.env("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_ADDRESS",
						"127.0.0.1:" + gateway.getAddress().getPort())
				.run();

			assertThat(scan.exitCode()).as(scan.toString()).isZero();
		}
		finally {
			gateway.stop(0);
		}
		assertThat(pushes).isEmpty();
	}

	private static HttpServer gateway(List<String> pushes) throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			pushes.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n" + body);
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.start();
		return server;
	}

}
