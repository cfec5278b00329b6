package dev.tokenservice.web;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;

/**
 * How a failed scheduled job (purging expired revocations, cleaning rate-limit buckets)
 * is logged: a database that cannot be reached is an expected outage, one WARN line a run
 * like a request's 503; anything else an ERROR with the stack, whose messages are left
 * out as in {@link FailureTrace}.
 */
@Component
class ScheduledTaskErrors implements ThreadPoolTaskSchedulerCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(ScheduledTaskErrors.class);

	@Override
	public void customize(ThreadPoolTaskScheduler scheduler) {
		scheduler.setErrorHandler(ScheduledTaskErrors::log);
	}

	private static void log(Throwable failure) {
		if (FailureTrace.causeOf(failure, DataAccessException.class) != null
				|| FailureTrace.causeOf(failure, SQLException.class) != null) {
			logger.warn("A scheduled job could not use the database (it runs again later): {}",
					failure.getClass().getSimpleName());
		}
		else {
			logger.error("A scheduled job failed: {}", FailureTrace.of(failure));
		}
	}

}
