"""Mail we owe: queued with the case (queue), sent by its own job (relay), composed from templates
(compose, acknowledgements, letters), never to whom it must not go (answer_policy)."""
