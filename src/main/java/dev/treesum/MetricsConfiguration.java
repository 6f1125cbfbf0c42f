package dev.treesum;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Pushing metrics to a Prometheus Pushgateway needs its manager running from the start,
 * so that it pushes when the command ends; everything else stays lazy.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

	@Bean
	static LazyInitializationExcludeFilter pushGatewayEagerly() {
		return LazyInitializationExcludeFilter.forBeanTypes(PrometheusPushGatewayManager.class);
	}

}
