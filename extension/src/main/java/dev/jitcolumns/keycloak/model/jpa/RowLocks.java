package dev.jitcolumns.keycloak.model.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** Row locks through Hibernate that also read the row under the lock. */
final class RowLocks {

    private RowLocks() {
    }

    /**
     * The entity locked for update and read again under the lock, or null. A {@code find} with a lock of an entity this
     * transaction already read only locks it: its state would stay what was read before another transaction committed
     * a change (e.g. a second revocation of one grant, each seeing it active).
     */
    static <E> E lockedFresh(EntityManager em, Class<E> type, Object id) {
        E entity = em.find(type, id);
        if (entity != null) {
            em.refresh(entity, LockModeType.PESSIMISTIC_WRITE);
        }
        return entity;
    }
}
