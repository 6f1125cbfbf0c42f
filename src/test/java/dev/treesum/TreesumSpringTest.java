package dev.treesum;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * The whole application against the {@link TestDatabase}, without running the command
 * line: tests drive the commands and the job themselves. All such tests share one
 * context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest
@ActiveProfiles("test")
@ContextConfiguration(initializers = TreesumSpringTest.DatabaseInitializer.class)
public @interface TreesumSpringTest {

	class DatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
					"spring.datasource.url=" + TestDatabase.url(), "spring.datasource.username=postgres",
					"spring.main.lazy-initialization=false");
		}

	}

}
