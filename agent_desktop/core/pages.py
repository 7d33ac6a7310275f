"""How much the client asks for at a time (SPEC §3 pages): threads when a store loads them, and
messages when a conversation opens or scrolls back. The early requests (backends/early.py) ask
for the first page of threads exactly as the store will, so that the store can take the answer.
"""

THREAD_PAGE = 200  # threads per page (the first one is what the window paints first)
# Messages per page of a conversation: a screenful and a half of bubbles (a tall window shows about
# 20). Each page is laid out at once before it is painted (~0.5 ms a bubble): 50 made the opening
# of a conversation and each page of older messages stall for 25 ms of layout alone.
MESSAGE_PAGE = 30
