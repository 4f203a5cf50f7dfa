"""Partners' questions: answered from the programme or relayed to organisers."""
