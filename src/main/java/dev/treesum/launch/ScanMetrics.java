package dev.treesum.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.treesum.ChangeKind;
import dev.treesum.Failures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * What a scan tells a Prometheus Pushgateway, and under which grouping key. Many hosts
 * push to one gateway, and a host may scan several sets of roots, so the key names the
 * job, the host and the roots; those are known only once a scan starts, which is why
 * Spring Boot's push manager (lazy, like every bean here) is created only then, with the
 * key added to its configuration. The gauges describe the latest completed scan: after a
 * run that did not complete nothing of them is pushed, and the gateway keeps the last
 * values, whose last-success time then ages.
 */
@Component
class ScanMetrics {

	private static final Logger logger = LoggerFactory.getLogger(ScanMetrics.class);

	private final ObjectProvider<MeterRegistry> registry;

	private final ObjectProvider<PrometheusProperties> prometheus;

	private final ObjectProvider<PrometheusPushGatewayManager> pushGateway;

	private final ScanRepository scans;

	private volatile Completed latest;

	private boolean registered;

	ScanMetrics(ObjectProvider<MeterRegistry> registry, ObjectProvider<PrometheusProperties> prometheus,
			ObjectProvider<PrometheusPushGatewayManager> pushGateway, ScanRepository scans) {
		this.registry = registry;
		this.prometheus = prometheus;
		this.pushGateway = pushGateway;
		this.scans = scans;
	}

	/**
	 * Start pushing under the scan's host and roots; the last push happens when the
	 * application closes.
	 * @param host the host the scan belongs to
	 * @param roots its roots
	 */
	void begin(String host, List<String> roots) {
		PrometheusProperties.Pushgateway gateway = gateway();
		if (gateway == null) {
			return;
		}
		Map<String, String> groupingKey = new LinkedHashMap<>(gateway.getGroupingKey());
		groupingKey.put("host", host);
		groupingKey.put("roots", rootsLabel(roots));
		gateway.setGroupingKey(groupingKey);
		this.pushGateway.getIfAvailable();
	}

	/**
	 * Record a completed scan in the gauges that are pushed.
	 * @param result how the run ended
	 */
	synchronized void record(ScanResult result) {
		if (gateway() == null || result.verdict() == null || result.status() == null) {
			return;
		}
		MeterRegistry meters = this.registry.getIfAvailable();
		if (meters == null) {
			return;
		}
		Instant oldest;
		try {
			oldest = this.scans.oldestVerification(result.scanId()).orElse(result.status().startedAt());
		}
		catch (DataAccessException ex) {
			logger.warn("Cannot tell the oldest verification of scan {}: {}", result.scanId(),
					Failures.rootMessage(ex));
			oldest = result.status().startedAt();
		}
		this.latest = new Completed(result.status(), result.verdict(), bytesRead(result.scanId()), oldest);
		if (!this.registered) {
			register(meters);
			this.registered = true;
		}
	}

	/**
	 * The roots as a label value: sorted, as the key scans of the same roots share, and
	 * separated by spaces.
	 */
	static String rootsLabel(List<String> roots) {
		return String.join(" ", roots.stream().sorted().toList());
	}

	private long bytesRead(long scanId) {
		try {
			return this.scans.bytesRead(scanId);
		}
		catch (DataAccessException ex) {
			return 0;
		}
	}

	private void register(MeterRegistry meters) {
		gauge(meters, "treesum.last.success.timestamp", "seconds",
				"When the latest completed scan of this host and roots ended (Unix time)",
				(completed) -> seconds(completed.status().endedAt()));
		gauge(meters, "treesum.scan.files", null, "Entries recorded by the latest completed scan",
				(completed) -> completed.status().files());
		gauge(meters, "treesum.scan.bytes", "bytes", "Bytes of regular files recorded by the latest completed scan",
				(completed) -> completed.status().bytes());
		gauge(meters, "treesum.scan.read", "bytes", "Bytes the latest completed scan read to hash files",
				Completed::bytesRead);
		gauge(meters, "treesum.scan.errors", null, "Entries the latest completed scan could not examine or hash",
				(completed) -> completed.verdict().count(ChangeKind.ERRORS));
		gauge(meters, "treesum.scan.duration", "seconds", "How long the latest completed scan ran, all attempts",
				(completed) -> completed.status().duration().toMillis() / 1000.0);
		gauge(meters, "treesum.oldest.verification.age", "seconds",
				"Age of the oldest digest of the latest completed scan, since it was last read",
				(completed) -> Duration.between(completed.oldestVerification(), Instant.now()).toMillis() / 1000.0);
		for (ChangeKind kind : ChangeKind.values()) {
			if (kind != ChangeKind.ERRORS) {
				Gauge
					.builder("treesum.scan.changes", this,
							(metrics) -> value(metrics, (completed) -> completed.verdict().count(kind)))
					.description("Changes the latest completed scan found against the previous one, by kind")
					.tag("kind", kind.id())
					.register(meters);
			}
		}
	}

	private void gauge(MeterRegistry meters, String name, String unit, String description,
			ToDoubleFunction<Completed> value) {
		Gauge.builder(name, this, (metrics) -> value(metrics, value))
			.description(description)
			.baseUnit(unit)
			.register(meters);
	}

	private static double value(ScanMetrics metrics, ToDoubleFunction<Completed> value) {
		Completed completed = metrics.latest;
		return (completed != null) ? value.applyAsDouble(completed) : Double.NaN;
	}

	private static double seconds(Instant instant) {
		return (instant != null) ? instant.toEpochMilli() / 1000.0 : Double.NaN;
	}

	private PrometheusProperties.Pushgateway gateway() {
		PrometheusProperties properties = this.prometheus.getIfAvailable();
		return (properties != null && properties.getPushgateway().isEnabled()) ? properties.getPushgateway() : null;
	}

	private record Completed(ScanStatus status, ScanVerdict verdict, long bytesRead, Instant oldestVerification) {
	}

}
