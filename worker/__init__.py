"""The worker: schedule maths (worker.schedule), the DB tick (worker.tick), running one
occurrence (worker.run), delivery channels (worker.delivery) and triggers (worker.triggers).
"""
