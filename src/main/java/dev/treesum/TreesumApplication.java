package dev.treesum;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The {@code treesum} command. The process exits with the code of the command that ran.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TreesumApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(TreesumApplication.class, args)));
	}

}
