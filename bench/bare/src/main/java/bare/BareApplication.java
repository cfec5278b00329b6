package bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The HTTP stack alone: Tomcat and Spring MVC answering a GET with two bytes. */
@SpringBootApplication
@RestController
public class BareApplication {

	public static void main(String[] args) {
		SpringApplication.run(BareApplication.class, args);
	}

	@GetMapping("/noop")
	String noop() {
		return "ok";
	}

}
