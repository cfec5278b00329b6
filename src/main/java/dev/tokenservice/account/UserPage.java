package dev.tokenservice.account;

import java.util.List;

/** The body of {@code GET /users}: one page of users, ordered by id. */
record UserPage(List<UserView> users, int page, int size, long total) {
}
