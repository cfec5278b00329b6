package dev.tokenservice.token;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface RevokedTokenRepository extends JpaRepository<RevokedToken, String> {

	@Transactional
	@Modifying
	@Query("delete from RevokedToken r where r.expiresAt < :now")
	int deleteExpiredBefore(Instant now);

}
