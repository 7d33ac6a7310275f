"""How much the client asks for at a time (SPEC §3 pages): threads when a store loads them, and
messages when a conversation opens or scrolls back. The early requests (backends/early.py) ask
for the first page of threads exactly as the store will, so that the store can take the answer.
"""

THREAD_PAGE = 200  # threads per page (the first one is what the window paints first)
MESSAGE_PAGE = 50  # messages per page of a conversation
