package dev.tokenservice.account;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

	Optional<UserAccount> findByUsername(String username);

	@Query("select u.id from UserAccount u where u.username = :username")
	Optional<Long> findIdByUsername(String username);

	@Query("select new dev.tokenservice.account.TokenHolder(u.id, u.username, u.enabled, u.tokenVersion) "
			+ "from UserAccount u where u.id = :id")
	Optional<TokenHolder> findTokenHolderById(long id);

}
