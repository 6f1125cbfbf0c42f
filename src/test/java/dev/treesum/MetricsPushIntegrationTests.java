package dev.treesum;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a Prometheus Pushgateway configured, Spring Batch's metrics of the scan reach it
 * when the command ends; without one, nothing is sent. The Pushgateway is a small HTTP
 * server on loopback that records what it is sent.
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
		assertThat(pushes).anySatisfy((push) -> assertThat(push).startsWith("PUT /metrics/job/treesum")
			.contains("spring_batch_job_seconds_count")
			// Chunks are observed; items, a million per scan, are not.
			.contains("spring_batch_chunk_write_seconds_count")
			.doesNotContain("spring_batch_item_"));
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
