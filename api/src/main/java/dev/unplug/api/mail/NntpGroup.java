package dev.unplug.api.mail;

import org.apiguardian.api.API;

/**
 * A newsgroup as the server reports it ({@code GROUP} or {@code LIST ACTIVE}). Immutable.
 *
 * @param name the group's name, such as {@code local.test}
 * @param count the number of articles (an estimate the server gives; 0 when the group is empty)
 * @param first the lowest article number
 * @param last the highest article number (below {@code first} when the group is empty)
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record NntpGroup(String name, long count, long first, long last) {
}
