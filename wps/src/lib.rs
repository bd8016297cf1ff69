//! Wi-Fi Simple Configuration (WPS): attributes, M1..M8, EAP-WSC framing, key derivation, enrollee and registrar.
