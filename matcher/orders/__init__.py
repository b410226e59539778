"""From plan to orders: the order state machine, capacity and budget reservation, procurement
rules, the generated documents (Surat Pesanan and the three bukti) and complaints."""
