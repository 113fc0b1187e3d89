"""The recipient registry: imports, validation, aid history and the double-aid lookup.

The registry is split by concept: ``access`` (who sees whom), ``validity`` (validation
states), ``search`` (the list and the candidates), ``recipients`` (create, update,
deactivate), ``validation`` (validate, reject), ``corrections`` (village proposals) and
``double_aid`` (the double-aid rule). Every transition takes the acting user, checks the
current state and the actor's right, writes the audit event and notifies; a refusal
raises ``Refusal`` and changes nothing. The caller commits.
"""
